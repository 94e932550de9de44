package org.xnb.tools.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The daemon's admin socket: a Unix-domain stream socket (Netty's epoll transport), mode 0600 and
 * owned by the daemon's user (root), one JSON {@link AdminRequest} per line in, one
 * {@link AdminResponse} per line out, any number of requests per connection.
 *
 * <p>The socket is bound under a temporary name, given mode 0600, then renamed into place, so it
 * is never reachable with wider permissions. A socket file left by a dead daemon is replaced; one
 * a live daemon answers on is refused. Requests run on the one event-loop thread, one at a time
 * (control path: a request is a few calls into the backend).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger(AdminServer.class.getName());

    private final Path path;
    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(Path path, EventLoopGroup group, Channel channel) {
        this.path = path;
        this.group = group;
        this.channel = channel;
    }

    /** Binds {@code path} and serves {@code dispatcher}; fails with one line saying why. */
    public static AdminServer start(Path path, AdminDispatcher dispatcher) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("admin socket: Netty's epoll transport is not available: "
                    + Epoll.unavailabilityCause());
        }
        Path absolute = path.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(absolute.getParent());
            if (Files.exists(absolute)) {
                if (AdminClient.listening(absolute)) {
                    throw new IllegalStateException("admin socket: another xnb daemon is listening on " + absolute);
                }
                Files.delete(absolute); // left by a daemon that died
            }
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("admin socket " + absolute + ": " + e.getMessage(), e);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new LineBasedFrameDecoder(AdminCodec.MAX_LINE),
                                    new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
                                    new Handler(dispatcher));
                        }
                    }).bind(new DomainSocketAddress(tmp.toString())).sync().channel();
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            return new AdminServer(absolute, group, ch);
        } catch (IOException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw new UncheckedIOException("admin socket " + absolute + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw new IllegalStateException("interrupted while binding " + absolute, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Stops accepting, closes connections and removes the socket file. */
    @Override
    public void close() {
        try {
            channel.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "admin socket " + path + " not removed: " + e.getMessage());
            }
        }
    }

    /** One connection: a line in, a line out. */
    private static final class Handler extends SimpleChannelInboundHandler<String> {
        private final AdminDispatcher dispatcher;

        Handler(AdminDispatcher dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            AdminResponse response;
            if (line.isBlank()) {
                return;
            }
            try {
                response = dispatcher.handle(AdminCodec.request(line));
            } catch (IllegalArgumentException e) {
                response = AdminResponse.error(e.getMessage());
            }
            ctx.writeAndFlush(AdminCodec.encode(response) + "\n");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = cause instanceof TooLongFrameException ? "request longer than " + AdminCodec.MAX_LINE + " bytes"
                    : cause.toString();
            ctx.writeAndFlush(AdminCodec.encode(AdminResponse.error(why)) + "\n").addListener(f -> ctx.close());
        }
    }
}
