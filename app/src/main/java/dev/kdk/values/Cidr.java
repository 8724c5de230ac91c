package dev.kdk.values;

import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 range in CIDR notation ({@code 10.224.0.0/16}), as the first and last address of the range.
 *
 * @param text      as written
 * @param address   the address part as written (host bits may be set, as in docker's {@code --bip})
 * @param prefix    prefix length in bits
 * @param hostBits  true if the address has bits set below the prefix
 */
public record Cidr(String text, InetAddress address, int prefix, boolean hostBits, BigInteger first, BigInteger last) {

    /** Parses {@code text}; throws IllegalArgumentException with a message fit for users if it is not CIDR. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("`" + text + "` is not a CIDR range: write ADDRESS/PREFIX, such as 10.224.0.0/16");
        }
        InetAddress address;
        try {
            address = InetAddresses.forString(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + text.substring(0, slash) + "` is not an IP address");
        }
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix `/" + text.substring(slash + 1) + "` must be a number from 0 to " + bits);
        }
        BigInteger value = new BigInteger(1, address.getAddress());
        BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
        BigInteger first = value.subtract(value.mod(size));
        return new Cidr(text, address, prefix, !first.equals(value), first, first.add(size).subtract(BigInteger.ONE));
    }

    /** True if the two ranges share at least one address. */
    public boolean overlaps(Cidr other) {
        return address.getAddress().length == other.address.getAddress().length
                && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** The network address, such as {@code 10.224.0.0/16} for {@code 10.224.3.1/16}. */
    public String network() {
        byte[] raw = first.toByteArray();
        byte[] bytes = new byte[address.getAddress().length];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
