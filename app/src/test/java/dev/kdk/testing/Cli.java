package dev.kdk.testing;

import dev.kdk.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs kdk in-process through {@link Main#run}, as a user would from the shell, capturing both streams; or gives the
 * command that runs it in a fresh JVM (for {@link Processes}), where it needs its own process (subshells, signals).
 */
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

    /**
     * The command line of a fresh JVM running {@link Main} from the test classpath with CLI-tuned options and
     * {@code java.io.tmpdir} set to {@code tmpdir} (where kdk connect keeps its session directories); append kdk's
     * arguments.
     */
    public static List<String> jvmCommand(Path tmpdir) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djava.io.tmpdir=" + tmpdir, "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }
}
