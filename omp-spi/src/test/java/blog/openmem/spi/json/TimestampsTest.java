package blog.openmem.spi.json;

class TimestampsTest {
    /** The direct reading of the common form agrees with the formatter, and defers to it otherwise. */
    @org.junit.jupiter.api.Test
    void theFastTimestampPathAgreesWithTheFormatter() {
        java.util.Random r = new java.util.Random(11);
        for (int k = 0; k < 20_000; k++) {
            java.time.Instant t = java.time.Instant.ofEpochSecond(r.nextLong() % 200_000_000_000L, r.nextInt(1_000_000_000));
            int off = (r.nextInt(37) - 18) * 3600 + (r.nextBoolean() ? 0 : 1800);
            java.time.OffsetDateTime odt = t.atOffset(java.time.ZoneOffset.ofTotalSeconds(Math.max(-64800,
                    Math.min(64800, off))));
            String text = odt.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            java.time.Instant slow = java.time.OffsetDateTime.parse(text,
                    java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            java.time.Instant fast = Timestamps.canonical(text);
            if (odt.getYear() >= 1000 && odt.getYear() <= 9999) {
                org.junit.jupiter.api.Assertions.assertEquals(slow, fast, text);
            } else {
                org.junit.jupiter.api.Assertions.assertTrue(fast == null || fast.equals(slow), text);
            }
        }
        for (String odd : new String[] {"2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01t00:00:00Z",
            "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00+19:00",
            "2026-01-01T00:00:00", "2026-01-01T00:00Z", " 2026-01-01T00:00:00Z"}) {
            org.junit.jupiter.api.Assertions.assertNull(Timestamps.canonical(odd), odd);
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.time.Instant.parse("2026-01-01T00:00:00Z"),
                Timestamps.parse("2026-01-01t00:00:00Z"), "the formatter still takes the rest");
    }

    /** The direct writing agrees with ISO_INSTANT: every precision, every accepted year, and beyond. */
    @org.junit.jupiter.api.Test
    void formatWritesWhatTheFormatterWrites() {
        java.util.Random r = new java.util.Random(12);
        long min = Timestamps.MIN.getEpochSecond();
        long span = Timestamps.MAX.getEpochSecond() - min;
        for (int k = 0; k < 50_000; k++) {
            int nano = switch (k % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                default -> r.nextInt(1_000_000_000);
            };
            long seconds = k % 50 == 0 ? r.nextLong() % 400_000_000_000L : min + Math.floorMod(r.nextLong(), span + 1);
            java.time.Instant t = java.time.Instant.ofEpochSecond(seconds, nano);
            org.junit.jupiter.api.Assertions.assertEquals(java.time.format.DateTimeFormatter.ISO_INSTANT.format(t),
                    Timestamps.format(t));
        }
        for (java.time.Instant edge : new java.time.Instant[] {Timestamps.MIN, Timestamps.MAX, java.time.Instant.EPOCH,
            java.time.Instant.EPOCH.minusNanos(1), Timestamps.MIN.minusNanos(1), Timestamps.MAX.plusNanos(1),
            java.time.Instant.parse("2024-02-29T23:59:59.000001Z")}) {
            org.junit.jupiter.api.Assertions.assertEquals(java.time.format.DateTimeFormatter.ISO_INSTANT.format(edge),
                    Timestamps.format(edge));
        }
    }
}
