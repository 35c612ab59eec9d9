package blog.openmem.server;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.PayloadTooLargeException;
import blog.openmem.spi.json.Timestamps;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.regex.Pattern;

/** Request parsing helpers: every problem is a 400 naming the parameter, never a 500. */
final class Http {
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The header an open server's clients name their app with (see OmpServer). */
    static final String APP_HEADER = "X-OMP-App";
    /** Valid app names in that header. */
    static final Pattern APP = Pattern.compile("[A-Za-z0-9._:@/-]{1,64}");

    private Http() {
    }

    /** Reads the body, refusing more than {@code max} bytes whether or not Content-Length was sent. */
    static byte[] body(Context ctx, long max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), max));
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > max) {
                    throw tooLarge(max);
                }
                out.write(buf, 0, n);
            }
            byte[] bytes = out.toByteArray();
            utf8(bytes, "body");
            return bytes;
        } catch (IOException e) {
            throw new InvalidRequestException("body: could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Refuses bytes that are not well-formed UTF-8: the JSON parser would otherwise decode an
     * overlong form such as {@code C0 AF} as {@code /} and store a different text than was sent.
     */
    static void utf8(byte[] bytes, String what) {
        for (byte b : bytes) {
            if (b < 0) {
                try {
                    java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes));
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new InvalidRequestException(what + ": is not well-formed UTF-8");
                }
                return;
            }
        }
    }

    /**
     * Checks every parameter of a raw query string before the router decodes it leniently: percent
     * escapes must be well formed and decode to well-formed UTF-8 without NUL characters.
     *
     * @param raw the raw query string, or null
     * @throws InvalidRequestException naming the parameter
     */
    static void query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String shownName = shorten(percentDecodeLenient(name));
            byte[] nameBytes = percentDecode(name, shownName);
            byte[] valueBytes = eq < 0 ? new byte[0] : percentDecode(pair.substring(eq + 1), shownName);
            for (byte[] part : new byte[][] {nameBytes, valueBytes}) {
                utf8(part, shownName);
                for (byte b : part) {
                    if (b == 0) {
                        throw new InvalidRequestException(shownName + ": must not contain NUL characters");
                    }
                }
            }
        }
    }

    private static byte[] percentDecode(String s, String param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new InvalidRequestException(param + ": malformed percent escape in the query string");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    private static String percentDecodeLenient(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static PayloadTooLargeException tooLarge(long max) {
        return new PayloadTooLargeException("body: larger than the limit of " + max + " bytes");
    }

    static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw new InvalidRequestException(name + ": is required");
        }
        return v;
    }

    static String optional(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    static int integer(Context ctx, String name, int def) {
        String v = optional(ctx, name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + ": must be a whole number, was '" + shorten(v) + "'");
        }
    }

    static Double decimal(Context ctx, String name) {
        String v = optional(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + ": must be a number, was '" + shorten(v) + "'");
        }
    }

    static Instant instant(Context ctx, String name) {
        return timestamp(name, optional(ctx, name));
    }

    /** An RFC 3339 value of a query parameter or body field; null stays null. */
    static Instant timestamp(String name, String v) {
        if (v == null) {
            return null;
        }
        try {
            return Timestamps.parse(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(name + ": " + e.getMessage());
        }
    }

    static boolean bool(Context ctx, String name) {
        String v = optional(ctx, name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidRequestException(name + ": must be true or false");
        };
    }

    /** Quotes user text in messages without letting it grow them unboundedly or carry control characters. */
    static String shorten(String v) {
        String s = v.length() > 40 ? v.substring(0, 40) + "…" : v;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
