package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, server URLs and the subshell as a real process. */
class SmallPartsTest {
    @Test
    void clusterNamesMayCarryThePrefix() {
        ClusterName a = ClusterName.parse("testing1");
        assertThat(ClusterName.parse("kdk-testing1")).isEqualTo(a);
        assertThat(a.podName()).isEqualTo("kdk-testing1-0");
        assertThat(a.kubeconfigSecretName()).isEqualTo("kdk-testing1-kubeconfig");
        assertThat(a.userRoleName()).isEqualTo("kdk-testing1-user");
        for (String bad : new String[] {"", "kdk-", "Upper", "under_score", "-lead", "x".repeat(60)}) {
            assertThatThrownBy(() -> ClusterName.parse(bad)).as(bad).isInstanceOfSatisfying(KdkException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(KdkException.USAGE));
        }
    }

    @Test
    void clusterNamesFollowTheRelease() {
        ClusterName team = ClusterName.parse("team", "team-testing1");
        assertThat(team.name()).isEqualTo("testing1");
        assertThat(team.podName()).isEqualTo("team-testing1-0");
        assertThat(team.kubeconfigSecretName()).isEqualTo("team-testing1-kubeconfig");
        assertThat(ClusterName.parse("team", "kdk-testing1").name()).isEqualTo("kdk-testing1");
    }

    @Test
    void theServerUrlNamesTheLocalEnd() throws Exception {
        assertThat(Connector.server(Connector.serverHost(InetAddress.getByName("127.0.0.1")), 16443))
                .isEqualTo("https://127.0.0.1:16443");
        assertThat(Connector.server(Connector.serverHost(InetAddress.getByName("0.0.0.0")), 5))
                .isEqualTo("https://127.0.0.1:5");
        assertThat(Connector.server(Connector.serverHost(InetAddress.getByName("::1")), 7))
                .isEqualTo("https://[0:0:0:0:0:0:0:1]:7");
    }

    @Test
    void theSubshellGetsTheEnvironmentAndItsExitCodeIsReturned() {
        Subshell s = new Subshell(List.of("sh", "-c", "[ \"$KDK_CLUSTER\" = testing1 ] && exit 42; exit 1"),
                Map.of(), Map.of("KDK_CLUSTER", "testing1"));
        assertThat(s.run()).isEqualTo(42);
    }

    @Test
    void withoutACommandTheUsersShellRuns() {
        assertThat(new Subshell(List.of(), Map.of("SHELL", "/bin/bash"), Map.of()).command()).containsExactly("/bin/bash");
        assertThat(new Subshell(List.of(), Map.of(), Map.of()).command()).containsExactly("/bin/sh");
    }

    @Test
    void aMissingCommandIsNamed() {
        assertThatThrownBy(() -> new Subshell(List.of("/no/such/kubectl"), Map.of(), Map.of()).run())
                .isInstanceOf(KdkException.class).hasMessageStartingWith("cannot run /no/such/kubectl");
    }
}
