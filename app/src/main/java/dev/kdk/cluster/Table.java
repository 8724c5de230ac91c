package dev.kdk.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** kubectl-style plain text: aligned columns separated by three spaces, kubectl's short ages. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    /** The table as text, one line per row, '\n' line ends, no trailing spaces. */
    public String render() {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], cell(r, i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(cell(r, i));
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - cell(r, i).length() + 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String cell(String[] r, int i) {
        return i < r.length && r[i] != null ? r[i] : "";
    }

    /** kubectl's human age of {@code since} at {@code now}: 45s, 5m, 3h, 2d, 1y; "<unknown>" for null. */
    public static String age(Instant since, Instant now) {
        if (since == null) {
            return "<unknown>";
        }
        return human(Duration.between(since, now));
    }

    /** kubectl's human duration (negative durations count as 0). */
    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        if (days < 8) {
            return h % 24 == 0 ? days + "d" : days + "d" + (h % 24) + "h";
        }
        if (days < 365 * 2) {
            return days + "d";
        }
        return days / 365 + "y";
    }

    /** An expiry as "2027-01-01 (in 214d)", "2027-01-01 (expired)", or "<unknown>". */
    public static String expiry(Instant notAfter, Instant now) {
        if (notAfter == null) {
            return "<unknown>";
        }
        String date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(notAfter);
        return notAfter.isBefore(now) ? date + " (expired)" : date + " (in " + human(Duration.between(now, notAfter))
                + ")";
    }
}
