package blog.openmem.core.testjar;

/** A second factory claiming the id "alpha". */
public class AlphaTwinFactory extends AlphaFactory {
}
