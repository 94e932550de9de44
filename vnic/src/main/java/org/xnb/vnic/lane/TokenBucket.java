package org.xnb.vnic.lane;

/**
 * A byte token bucket: {@code maxbw} for a lane or a flow. Tokens accrue at the rate up to a burst;
 * time is passed in (nanoseconds from any monotonic clock), so tests drive it with a fake clock.
 * Single-threaded: the lane's thread owns it.
 *
 * <p>Two ways to spend: {@link #consume} after the fact (a lane learns the bytes of a batch only
 * once it ran; the bucket may go into deficit, which the next refills pay back, so the long-run
 * rate is exact), or {@link #tryConsume} before (a flow admitting one frame). Fractions of a byte
 * are carried over between refills, so slow rates do not round down to zero.
 */
public final class TokenBucket {
    /** The smallest burst: two 64 KiB GSO frames, so a big frame can always pass. */
    public static final long MIN_BURST_BYTES = 131_072L;
    public static final long MIN_BITS_PER_SECOND = 8L;
    public static final long MAX_BITS_PER_SECOND = 400_000_000_000L;
    private static final long NANOS = 1_000_000_000L;

    private long bytesPerSecond;
    private long burstBytes;
    private long tokens;
    private long lastNs;
    /** Byte-nanoseconds not yet worth a whole byte (0 .. NANOS-1). */
    private long remainder;

    /** A full bucket with the default burst: the larger of {@link #MIN_BURST_BYTES} and 10 ms of rate. */
    public TokenBucket(long bitsPerSecond, long nowNs) {
        this(bitsPerSecond, defaultBurst(bitsPerSecond), nowNs);
    }

    public TokenBucket(long bitsPerSecond, long burstBytes, long nowNs) {
        setRate(bitsPerSecond, burstBytes);
        this.tokens = burstBytes;
        this.lastNs = nowNs;
    }

    public static long defaultBurst(long bitsPerSecond) {
        checkRate(bitsPerSecond);
        return Math.max(MIN_BURST_BYTES, bitsPerSecond / 8 / 100);
    }

    /** A live change; tokens above the new burst are cut down to it. */
    public void setRate(long bitsPerSecond, long burstBytes) {
        checkRate(bitsPerSecond);
        if (burstBytes <= 0) {
            throw new IllegalArgumentException("burst must be positive, not " + burstBytes);
        }
        this.bytesPerSecond = Math.max(1, bitsPerSecond / 8);
        this.burstBytes = burstBytes;
        this.tokens = Math.min(tokens, burstBytes);
    }

    private static void checkRate(long bitsPerSecond) {
        if (bitsPerSecond < MIN_BITS_PER_SECOND || bitsPerSecond > MAX_BITS_PER_SECOND) {
            throw new IllegalArgumentException("rate " + bitsPerSecond + " bit/s is not in " + MIN_BITS_PER_SECOND
                    + ".." + MAX_BITS_PER_SECOND);
        }
    }

    /** Whether anything may go now (tokens > 0, after refilling to {@code nowNs}). */
    public boolean hasTokens(long nowNs) {
        refill(nowNs);
        return tokens > 0;
    }

    /** Spends {@code bytes} already sent; the bucket may go negative. */
    public void consume(long bytes) {
        tokens -= bytes;
    }

    /**
     * Spends {@code bytes} if the bucket holds them (or a full burst, for a frame bigger than the
     * burst); otherwise spends nothing.
     */
    public boolean tryConsume(long bytes, long nowNs) {
        refill(nowNs);
        if (tokens >= Math.min(bytes, burstBytes)) {
            tokens -= bytes;
            return true;
        }
        return false;
    }

    /** The earliest time at which {@link #hasTokens} becomes true; {@code nowNs} if it is already. */
    public long refillAtNs(long nowNs) {
        return readyAtNs(nowNs, 1);
    }

    /** The earliest time at which the bucket holds {@code bytes} (capped at the burst). */
    public long readyAtNs(long nowNs, long bytes) {
        refill(nowNs);
        long need = Math.min(bytes, burstBytes) - tokens;
        if (need <= 0) {
            return nowNs;
        }
        double nanos = ((double) need * NANOS - remainder) / bytesPerSecond;
        return nowNs + Math.max(1, (long) Math.ceil(nanos));
    }

    private void refill(long nowNs) {
        long elapsed = nowNs - lastNs;
        if (elapsed <= 0) {
            return;
        }
        lastNs = nowNs;
        long room = burstBytes - tokens;
        if (room <= 0) {
            remainder = 0;
            return;
        }
        // elapsed beyond the time to fill would only be capped away; bounding it keeps the product in range
        long fillNs = (long) Math.ceil((double) room * NANOS / bytesPerSecond);
        if (elapsed >= fillNs) {
            tokens = burstBytes;
            remainder = 0;
            return;
        }
        long acc = elapsed * bytesPerSecond + remainder;
        tokens = Math.min(burstBytes, tokens + acc / NANOS);
        remainder = acc % NANOS;
    }

    /** Current tokens (negative in deficit); as of the last refill. */
    public long tokens() {
        return tokens;
    }

    public long burstBytes() {
        return burstBytes;
    }

    public long bitsPerSecond() {
        return bytesPerSecond * 8;
    }
}
