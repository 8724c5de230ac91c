package dev.kdk.cli;

import picocli.CommandLine.Command;

/** {@code kdk rotate-certs} (being wired). */
@Command(name = "rotate-certs", mixinStandardHelpOptions = true, description = "Not wired yet.")
public class RotateCertsCommand implements Runnable {
    @Override
    public void run() {
        throw new dev.kdk.KdkException("not implemented yet");
    }
}
