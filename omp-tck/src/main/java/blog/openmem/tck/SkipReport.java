package blog.openmem.tck;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints on the console each conformance check the suite skipped and why (a capability the provider
 * does not declare), one line each: build tools keep the reasons of skipped tests in their XML
 * reports only, and a provider's author should see at a glance what the suite did not check.
 * Registered for the JUnit Platform in {@code META-INF/services}; it speaks of the suite's own
 * checks only.
 */
public final class SkipReport implements TestExecutionListener {
    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED && isSuiteCheck(test)) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("no reason given");
            System.out.println("[omp-tck] SKIPPED " + test.getDisplayName() + ": " + reason.replace(
                    "Assumption failed: ", ""));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (isSuiteCheck(test)) {
            System.out.println("[omp-tck] SKIPPED " + test.getDisplayName() + ": " + reason);
        }
    }

    private static boolean isSuiteCheck(TestIdentifier test) {
        Optional<MethodSource> source = test.getSource().filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast);
        try {
            return source.isPresent() && source.get().getJavaMethod().getDeclaringClass().getPackageName()
                    .startsWith("blog.openmem.tck");
        } catch (RuntimeException e) {
            return false; // the method cannot be loaded: not one of ours to report
        }
    }
}
