package org.xnb.xenstore;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A byte stream to xenstored. One thread reads (the client's reader thread) while others
 * write (serialized by the client), so implementations must allow a blocked {@link #read}
 * to run concurrently with {@link #write}, and {@link #close} must wake a blocked reader.
 */
public interface XenstoreTransport extends Closeable {

    /**
     * Blocks until at least one byte arrives and copies what is available into {@code dst}.
     *
     * @return the number of bytes read, or -1 at end of stream
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all remaining bytes of {@code src}, blocking as needed. */
    void write(ByteBuffer src) throws IOException;

    /** A short human description (the path), for error messages. */
    String describe();

    @Override
    void close() throws IOException;
}
