package dev.kdk.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
    final ApiErrors errors = new ApiErrors("https://api.team.example:6443", "team");

    static KubernetesClientException status(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void unauthorizedNamesServerAndContext() {
        assertThat(errors.map("list", "secrets in namespace x", status(401, "Unauthorized")).getMessage())
                .isEqualTo("unauthorized at https://api.team.example:6443 (context team): your credentials were "
                        + "rejected; log in again or check --context");
    }

    @Test
    void immutableStatefulSetFieldsSayHowToProceed() {
        assertThat(errors.map("apply", "StatefulSet kdk-a in namespace x", status(422,
                "StatefulSet.apps \"kdk-a\" is invalid: spec: Forbidden: updates to statefulset spec for fields other "
                        + "than 'replicas', 'ordinals', 'template' are forbidden")).getMessage())
                .startsWith("cannot apply StatefulSet kdk-a in namespace x: Kubernetes does not change this part")
                .endsWith("run `kdk uninstall` for the cluster (its data volume is kept) and install again");
    }

    @Test
    void otherErrorsKeepTheServersMessageOnOneLine() {
        assertThat(errors.map("apply", "Service kdk-a in namespace x", status(500, "etcd\n  timeout")).getMessage())
                .isEqualTo("cannot apply Service kdk-a in namespace x: HTTP 500: etcd timeout");
    }
}
