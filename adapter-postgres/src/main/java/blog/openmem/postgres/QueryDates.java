package blog.openmem.postgres;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calendar dates, months and years a search query names ("on 3 June, 2023", "in August",
 * "in 2024", "2023-05-08"), so that memories whose time falls in them can rank higher: questions
 * about a memory store are often anchored in time ("what did I say on May 3, 2023?") and neither
 * embeddings nor keywords relate a date to a memory's {@code valid_from}.
 *
 * <p>English month names (full or three-letter), days with or without ordinal suffixes; dates are
 * UTC calendar days. Relative expressions ("last week") are not read. A month or year alone counts
 * only after "in", "during" or "of", so the verb "may" is never a month.
 */
final class QueryDates {
    private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?";
    private static final String DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
    private static final String YEAR = "((?:19|20)\\d\\d)";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /** Most specific first; each match is blanked out before the next pattern looks. */
    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("\\b" + YEAR + "-(\\d{2})-(\\d{2})\\b"),
            Pattern.compile("\\b" + MONTH + "\\s+" + DAY + ",?\\s+" + YEAR + "\\b", FLAGS),
            Pattern.compile("\\b" + DAY + "\\s+(?:of\\s+)?" + MONTH + ",?\\s+" + YEAR + "\\b", FLAGS),
            Pattern.compile("\\b" + MONTH + ",?\\s+" + YEAR + "\\b", FLAGS),
            Pattern.compile("\\b(?:in|during|of)\\s+" + MONTH + "(?!\\w)", FLAGS),
            Pattern.compile("\\b(?:in|during|of)\\s+" + YEAR + "\\b", FLAGS));
    /** The index of the one pattern without digits ("in June"). */
    private static final int MONTH_ALONE = 4;
    /** Bounds the work on adversarial queries; real questions name one or two dates. */
    private static final int MAX_PERIODS = 8;

    /**
     * A period a query names: a calendar day, a month of a year, a year, or (year null) a month of
     * any year.
     *
     * @param year  the year, or null for "this month of any year"
     * @param month 1-12, or null for a whole year
     * @param day   1-31, or null for a whole month or year
     */
    record Period(Integer year, Integer month, Integer day) {
        /** @return the first instant of a period with a year */
        Instant start() {
            return first().atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        /** @return the first instant after a period with a year */
        Instant end() {
            LocalDate s = first();
            LocalDate e = day != null ? s.plusDays(1) : month != null ? s.plusMonths(1) : s.plusYears(1);
            return e.atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        private LocalDate first() {
            return LocalDate.of(year, month == null ? 1 : month, day == null ? 1 : day);
        }
    }

    private QueryDates() {
    }

    /** @return the periods {@code query} names, most specific patterns first; empty when none */
    static List<Period> parse(String query) {
        List<Period> out = new ArrayList<>();
        String rest = query;
        // Every pattern but "in <month>" needs a digit; most queries have none (this runs per search).
        boolean digits = query.chars().anyMatch(Character::isDigit);
        for (int p = 0; p < PATTERNS.size(); p++) {
            if (!digits && p != MONTH_ALONE) {
                continue;
            }
            Matcher m = PATTERNS.get(p).matcher(rest);
            StringBuilder blanked = new StringBuilder();
            while (m.find()) {
                Period period = period(p, m);
                if (period != null && out.size() < MAX_PERIODS && !out.contains(period)) {
                    out.add(period);
                }
                m.appendReplacement(blanked, " ");
            }
            m.appendTail(blanked);
            rest = blanked.toString();
        }
        return out;
    }

    private static Period period(int pattern, Matcher m) {
        try {
            Period p = switch (pattern) {
                case 0 -> new Period(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                case 1 -> new Period(Integer.parseInt(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2)));
                case 2 -> new Period(Integer.parseInt(m.group(3)), month(m.group(2)), Integer.parseInt(m.group(1)));
                case 3 -> new Period(Integer.parseInt(m.group(2)), month(m.group(1)), null);
                case 4 -> new Period(null, month(m.group(1)), null);
                default -> new Period(Integer.parseInt(m.group(1)), null, null);
            };
            if (p.year() != null) {
                p.start(); // rejects 31 June, 30 February, month 13
            }
            return p;
        } catch (DateTimeException | NumberFormatException e) {
            return null; // not a calendar date: the words stay ordinary query terms
        }
    }

    private static int month(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Month mo : Month.values()) {
            if (mo.name().toLowerCase(Locale.ROOT).startsWith(n.substring(0, 3))) {
                return mo.getValue();
            }
        }
        throw new NumberFormatException(name);
    }
}
