package dev.kdk.testing;

import dev.kdk.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs kdk in-process through {@link Main#run}, as a user would from the shell, capturing both streams. */
public final class Cli {
    private Cli() {
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
