package dev.kdk.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that act on an installed release (list, status, uninstall, rotate-certs): the kubectl flags,
 * {@code --release NAME} (default {@code kdk}), and one host client open for the run. Install and template take the
 * release name from {@link ValuesOptions}, where it also names resources.
 */
abstract class ReleaseCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = "--release", paramLabel = "NAME", defaultValue = "kdk",
            description = "Release name (default: ${DEFAULT-VALUE}).")
    String release;

    @Override
    public final void run() {
        checkArguments();
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = kube.client()) {
            run(client, client.getNamespace(), out);
        }
        out.flush();
    }

    /** Rejects bad combinations of arguments before any client is opened; throws picocli's ParameterException. */
    void checkArguments() {
    }

    /** The command's work in {@code namespace} (the resolved release namespace); prints results to {@code out}. */
    abstract void run(KubernetesClient client, String namespace, PrintWriter out);
}
