package dev.kdk.cli;

import dev.kdk.KdkException;
import dev.kdk.connect.Connector;
import dev.kdk.connect.Progress;
import dev.kdk.kube.KubeClients;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kdk connect NAME [-- COMMAND ARGS...]}: a shell (or command) talking to a developer cluster. */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"Forward a local port to cluster NAME's API server and start a shell whose KUBECONFIG "
                + "points at it (or run COMMAND instead).", "",
            "NAME is the cluster's name in values.yaml, with or without the kdk- prefix: testing1 or kdk-testing1.",
            "The shell also gets KDK_CLUSTER=NAME and KDK_HOST_KUBECONFIG (the host kubeconfig kdk used), so kdk "
                + "run inside it still talks to the host cluster.",
            "The forward listens on 127.0.0.1 only and survives restarts of the cluster's pod.",
            "Everything is cleaned up when the shell exits, or on SIGTERM/SIGHUP.", "",
            "Examples:",
            "  kdk connect testing1",
            "  kdk connect testing1 -- kubectl get ns"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"N:The exit code of the shell or COMMAND.", "1:Failure (pod, Secret, permission, forward).",
            "2:Invalid input (name, flags)."})
public class ConnectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ClusterArgument cluster;

    @Parameters(index = "1..*", paramLabel = "COMMAND",
            description = "Run this (after --) instead of $SHELL; its exit code is kdk's.")
    List<String> command = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait for the pod to be ready, and for a restarted pod to come back "
                    + "(e.g. 90s, 5m; default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--port", paramLabel = "N",
            description = "Local port: default 16443 if free, else any free port; N insists on N; 0 takes any.")
    Integer port;

    @Option(names = "--address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Local address to listen on (default ${DEFAULT-VALUE}). Anything else exposes your "
                    + "cluster's API to other machines.")
    String address;

    @Option(names = {"-q", "--quiet"}, description = "Do not print progress lines.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Connector.Options options = new Connector.Options(cluster.clusterName(), Durations.parse(timeout, "--timeout"),
                port, parseAddress(address), command);
        Connector connector = new Connector(new KubeClients(), kube.target(), System.getenv(), new Progress(err, quiet),
                Path.of(System.getProperty("java.io.tmpdir")));
        return connector.connect(options);
    }

    private static InetAddress parseAddress(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new KdkException("--address " + text + " is not a local address", KdkException.USAGE, e);
        }
    }

    /** Go-style durations as kubectl takes them: 300ms, 90s, 5m, 1h, 1m30s; a plain number means seconds. */
    static final class Durations {
        private Durations() {
        }

        static Duration parse(String text, String flag) {
            String t = text == null ? "" : text.trim().toLowerCase();
            try {
                if (t.matches("\\d+")) {
                    return Duration.ofSeconds(Long.parseLong(t));
                }
                if (t.matches("\\d+ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.matches("(\\d+h)?(\\d+m)?(\\d+s)?") && !t.isEmpty()) {
                    return Duration.parse("PT" + t.toUpperCase());
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new KdkException(flag + " " + text + " is not a duration (e.g. 90s, 5m, 1h)", KdkException.USAGE, null);
        }
    }
}
