package dev.kdk.values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helm's {@code --set} syntax: {@code a.b=c,list[0]=x,names={a,b}}; {@code \.}, {@code \,}, {@code \=},
 * {@code \{} and {@code \\} escape; {@code null} deletes a key. With {@code --set} a value of {@code true}/
 * {@code false} becomes a boolean and a whole number without a leading zero an integer; with
 * {@code --set-string} every value stays a string.
 */
public final class SetParser {
    /** Largest list index --set may write, so that {@code a[99999999]=x} cannot exhaust memory. */
    static final int MAX_INDEX = 65_535;

    private final String arg;
    private final String source;
    private final boolean forceString;
    private int pos;

    private SetParser(String arg, String source, boolean forceString) {
        this.arg = arg;
        this.source = source;
        this.forceString = forceString;
    }

    /**
     * Applies one {@code --set} argument to {@code tree} in place, as Helm's ParseInto does (list indexes write
     * into existing lists).
     *
     * @param source      how to name this argument in errors, such as {@code --set[1]}
     * @param forceString true for {@code --set-string}
     * @throws ValuesException naming the argument and column if the syntax is wrong
     */
    public static void applyInto(ValuesTree tree, String arg, String source, boolean forceString) {
        new SetParser(arg, source, forceString).run(tree);
    }

    private void run(ValuesTree tree) {
        while (pos < arg.length()) {
            int keyStart = pos;
            List<Object> segments = parseKey();
            Location where = new Location(source, 1, keyStart + 1);
            Object value = parseValue();
            assign(tree, segments, value, where);
            if (pos < arg.length()) {
                pos++; // the ',' between assignments
            }
        }
    }

    /** Key segments: String for a map key, Integer for a list index. Leaves pos after '='. */
    private List<Object> parseKey() {
        List<Object> segments = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        int start = pos;
        while (true) {
            if (pos >= arg.length() || arg.charAt(pos) == ',') {
                throw error(start, "`" + arg.substring(start, pos) + "` has no `=`: write KEY=VALUE");
            }
            char c = arg.charAt(pos++);
            if (c == '\\' && pos < arg.length()) {
                key.append(arg.charAt(pos++));
            } else if (c == '.') {
                addKey(segments, key, start);
            } else if (c == '[') {
                if (key.length() > 0) {
                    addKey(segments, key, start);
                }
                int close = arg.indexOf(']', pos);
                if (close < 0) {
                    throw error(pos - 1, "`[` without `]`: write list[0]=value");
                }
                String digits = arg.substring(pos, close);
                int index;
                try {
                    index = Integer.parseInt(digits);
                } catch (NumberFormatException e) {
                    throw error(pos, "list index `" + digits + "` is not a number");
                }
                if (index < 0 || index > MAX_INDEX) {
                    throw error(pos, "list index " + index + " is out of range 0.." + MAX_INDEX);
                }
                segments.add(index);
                pos = close + 1;
                if (pos < arg.length() && arg.charAt(pos) == '.') {
                    pos++;
                }
            } else if (c == '=') {
                if (key.length() > 0) {
                    addKey(segments, key, start);
                }
                if (segments.isEmpty()) {
                    throw error(start, "empty key before `=`");
                }
                return segments;
            } else {
                key.append(c);
            }
        }
    }

    private void addKey(List<Object> segments, StringBuilder key, int start) {
        if (key.length() == 0) {
            throw error(start, "empty key segment in `" + arg.substring(start, Math.min(pos, arg.length()))
                    + "`: check for `..` or a leading `.`");
        }
        segments.add(key.toString());
        key.setLength(0);
    }

    /** A scalar up to the next unescaped ',' or a {a,b} list. Leaves pos on the ',' or at the end. */
    private Object parseValue() {
        if (pos < arg.length() && arg.charAt(pos) == '{') {
            pos++;
            List<Object> list = new ArrayList<>();
            while (true) {
                String item = scan("},");
                list.add(typed(item));
                if (pos >= arg.length()) {
                    throw error(arg.length() - 1, "list value without closing `}`");
                }
                if (arg.charAt(pos++) == '}') {
                    break;
                }
            }
            if (pos < arg.length() && arg.charAt(pos) != ',') {
                throw error(pos, "unexpected text after `}`: separate assignments with `,`");
            }
            return list;
        }
        return typed(scan(","));
    }

    private String scan(String stops) {
        StringBuilder out = new StringBuilder();
        while (pos < arg.length()) {
            char c = arg.charAt(pos);
            if (c == '\\' && pos + 1 < arg.length()) {
                out.append(arg.charAt(pos + 1));
                pos += 2;
            } else if (stops.indexOf(c) >= 0) {
                break;
            } else {
                out.append(c);
                pos++;
            }
        }
        return out.toString();
    }

    private Object typed(String value) {
        if (forceString) {
            return value;
        }
        if (value.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (value.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        if (value.equalsIgnoreCase("null")) {
            return null;
        }
        if (value.equals("0")) {
            return 0;
        }
        if (!value.isEmpty() && value.charAt(0) != '0' && value.matches("-?[0-9]{1,18}")) {
            long l = Long.parseLong(value);
            return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private void assign(ValuesTree tree, List<Object> segments, Object value, Location where) {
        Object container = tree.root();
        String path = "";
        for (int i = 0; i < segments.size(); i++) {
            Object seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            String childPath = seg instanceof Integer n ? ValuesTree.index(path, n) : ValuesTree.child(path, (String) seg);
            Object next = last ? null : segments.get(i + 1);
            if (seg instanceof String key) {
                if (!(container instanceof Map)) {
                    throw error(where.column() - 1, path + " is a list, not a map: use " + path + "[N]");
                }
                Map<String, Object> map = (Map<String, Object>) container;
                if (last) {
                    Coalesce.forget(tree, childPath);
                    if (value == null) {
                        map.remove(key);
                    } else {
                        map.put(key, value);
                    }
                } else {
                    container = descend(map.get(key), next, v -> map.put(key, v));
                }
            } else {
                int index = (Integer) seg;
                if (!(container instanceof List)) {
                    throw error(where.column() - 1, path + " is not a list: write " + path + ".KEY=value");
                }
                List<Object> list = (List<Object>) container;
                while (list.size() <= index) {
                    list.add(null);
                }
                if (last) {
                    Coalesce.forget(tree, childPath);
                    list.set(index, value);
                } else {
                    container = descend(list.get(index), next, v -> list.set(index, v));
                }
            }
            tree.origins().put(childPath, where);
            path = childPath;
        }
    }

    /** The existing child if it has the right shape for the next segment, else a new empty one put in place. */
    private static Object descend(Object existing, Object nextSegment, java.util.function.Consumer<Object> put) {
        boolean wantList = nextSegment instanceof Integer;
        if (wantList && existing instanceof List || !wantList && existing instanceof Map) {
            return existing;
        }
        Object fresh = wantList ? new ArrayList<>() : new LinkedHashMap<String, Object>();
        put.accept(fresh);
        return fresh;
    }

    private ValuesException error(int index, String message) {
        return new ValuesException(List.of(new Problem(new Location(source, 1, index + 1), "",
                "invalid " + (forceString ? "--set-string" : "--set") + " `" + arg + "`: " + message)));
    }
}
