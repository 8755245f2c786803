package dev.perpetual.worker.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import dev.perpetual.spi.WebhookEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to the webhook port: gathers each request's body (never past the endpoint's limit), hands the whole
 * request to the {@link WebhookEndpoint} and writes its status. Requests are answered in order: while one waits for
 * an answer (a delivery routed elsewhere), the connection stops reading, and requests it had already read wait their
 * turn; and while a sender does not take its answers (the socket's buffer is full), it is not read either. A
 * connection that has not sent a whole request within its request time of opening or of its last answer is closed,
 * so a slow sender holds nothing for long.
 */
final class WebhookConnection extends ChannelInboundHandlerAdapter {

    /** A request read whole; {@code body} is {@code null} when it was over the limit. */
    private record Request(String method, String path, Headers headers, byte[] body, boolean keepAlive) {
    }

    private final WebhookEndpoint endpoint;
    private final int maxBody;
    private final long requestNanos;
    private final ArrayDeque<Request> queued = new ArrayDeque<>(0);

    private HttpRequest head;
    private byte[] body;
    private int length;
    private boolean over;
    private boolean answering;
    private boolean paused;
    private long since;
    private ScheduledFuture<?> watch;

    WebhookConnection(WebhookEndpoint endpoint, Duration requestTime) {
        this.endpoint = endpoint;
        this.maxBody = endpoint.maxBody();
        this.requestNanos = requestTime.toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        since = System.nanoTime();
        long every = Math.max(requestNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
        watch = ctx.executor().scheduleAtFixedRate(() -> closeIfSlow(ctx), every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (watch != null) {
            watch.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof HttpRequest request) {
                started(ctx, request);
            }
            if (message instanceof HttpContent content && head != null) {
                append(content.content());
                if (content instanceof LastHttpContent) {
                    finished(ctx, true);
                }
                else if (over) {
                    finished(ctx, false); // answered now; the rest of the body is not read
                }
            }
        }
        finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the sender, mostly: nobody to answer
    }

    private void started(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            head = null;
            respond(ctx, 400, false);
            return;
        }
        head = request;
        length = 0;
        long declared = HttpUtil.getContentLength(request, -1L);
        over = declared > maxBody;
        body = over ? null : new byte[declared >= 0 ? (int) declared : Math.min(maxBody, 512)];
        if (over) {
            finished(ctx, false);
        }
    }

    private void append(ByteBuf content) {
        int readable = content.readableBytes();
        if (over || readable == 0) {
            return;
        }
        if (length + (long) readable > maxBody) {
            over = true;
            body = null;
            return;
        }
        if (length + readable > body.length) {
            body = Arrays.copyOf(body, Math.min(maxBody, Math.max(body.length * 2, length + readable)));
        }
        content.getBytes(content.readerIndex(), body, length, readable);
        length += readable;
    }

    /** The request in {@link #head} is read (or over the limit): served now, or after those before it. */
    private void finished(ChannelHandlerContext ctx, boolean whole) {
        HttpRequest request = head;
        head = null;
        String uri = request.uri();
        int query = uri.indexOf('?');
        Headers headers = new Headers();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        byte[] read = over ? null : length == body.length ? body : Arrays.copyOf(body, length);
        body = null;
        Request complete = new Request(request.method().name(), query < 0 ? uri : uri.substring(0, query), headers,
                read, whole && HttpUtil.isKeepAlive(request));
        if (answering) {
            queued.add(complete);
        }
        else {
            serve(ctx, complete);
        }
    }

    private void serve(ChannelHandlerContext ctx, Request request) {
        answering = true;
        endpoint.serve(request.method(), request.path(), request.headers(), request.body(),
                status -> answered(ctx, request, status));
        if (answering && !paused) { // answered later: read nothing more until then
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void answered(ChannelHandlerContext ctx, Request request, int status) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> answered(ctx, request, status));
            return;
        }
        answering = false;
        since = System.nanoTime();
        respond(ctx, status, request.keepAlive());
        if (!request.keepAlive()) {
            queued.clear();
            return;
        }
        resume(ctx);
    }

    /** Serves the next request read, or reads again: unless the sender is not taking its answers. */
    private void resume(ChannelHandlerContext ctx) {
        if (answering) {
            return;
        }
        if (!ctx.channel().isWritable()) {
            if (!paused) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        Request next = queued.poll();
        if (next != null) {
            serve(ctx, next);
        }
        else if (paused) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resume(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static void respond(ChannelHandlerContext ctx, int status, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        if (status == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, "POST");
        }
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void closeIfSlow(ChannelHandlerContext ctx) {
        if (!answering && System.nanoTime() - since > requestNanos) {
            ctx.close();
        }
    }
}
