package dev.kdk.render;

/**
 * The certificate material the two Secret templates write for one cluster, all as text.
 *
 * @param caCertificate PEM of the cluster CA's certificate
 * @param caPrivateKey  PKCS#8 PEM of the CA's private key
 * @param kubeconfig    the owner's kubeconfig (YAML), server https://127.0.0.1:PORT
 */
public record PkiMaterial(String caCertificate, String caPrivateKey, String kubeconfig) {
    @Override
    public String toString() {
        return "PkiMaterial[redacted]"; // never print keys, not even by accident
    }
}
