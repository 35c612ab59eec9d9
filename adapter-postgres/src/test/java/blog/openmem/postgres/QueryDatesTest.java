package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.postgres.QueryDates.Period;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryDatesTest {
    @Test
    void readsDaysInTheCommonEnglishForms() {
        Period may3 = new Period(2023, 5, 3);
        assertEquals(List.of(may3), QueryDates.parse("Who did Maria have dinner with on May 3, 2023?"));
        assertEquals(List.of(may3), QueryDates.parse("what happened on 3 May 2023"));
        assertEquals(List.of(may3), QueryDates.parse("on the 3rd of May, 2023"));
        assertEquals(List.of(may3), QueryDates.parse("notes from 2023-05-03"));
        assertEquals(List.of(new Period(2023, 12, 8)), QueryDates.parse("recommended on 8th December, 2023"));
        assertEquals(List.of(new Period(2023, 9, 14)), QueryDates.parse("Sept. 14 2023 meeting"));
    }

    @Test
    void readsMonthsAndYears() {
        assertEquals(List.of(new Period(2023, 10, null)), QueryDates.parse("What setback did Melanie face in October 2023?"));
        assertEquals(List.of(new Period(null, 6, null)), QueryDates.parse("When did Melanie go camping in June?"));
        assertEquals(List.of(new Period(2024, null, null)), QueryDates.parse("charity events in 2024"));
        assertEquals(List.of(new Period(2023, 3, 1), new Period(2023, 4, null)),
                QueryDates.parse("between March 1, 2023 and April 2023"));
    }

    @Test
    void ordinaryWordsAndImpossibleDatesAreNotDates() {
        assertTrue(QueryDates.parse("What may Caroline do next?").isEmpty(), "the verb may");
        assertTrue(QueryDates.parse("may 2 people join").isEmpty());
        assertTrue(QueryDates.parse("room 2023 and flight 1999x").isEmpty(), "a bare number is no year");
        assertTrue(QueryDates.parse("on February 30, 2023").isEmpty(), "no 30 February");
        assertTrue(QueryDates.parse("2023-13-40").isEmpty());
        assertTrue(QueryDates.parse("marching in the parade").isEmpty(), "march inside a word");
    }

    @Test
    void periodsAreUtcCalendarRanges() {
        assertEquals(Instant.parse("2023-05-03T00:00:00Z"), new Period(2023, 5, 3).start());
        assertEquals(Instant.parse("2023-05-04T00:00:00Z"), new Period(2023, 5, 3).end());
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), new Period(2024, 2, null).end());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), new Period(2024, null, null).end());
    }

    @Test
    void adversarialQueriesStayBounded() {
        String many = "in 2001 ".repeat(5000) + "in 2002 in 2003 in 2004 in 2005 in 2006 in 2007 in 2008 in 2009 in 2010";
        long t0 = System.nanoTime();
        List<Period> p = QueryDates.parse(many);
        assertTrue(p.size() <= 8, "at most 8 periods, was " + p.size());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
    }
}
