using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) that records every request it gets and answers from a
/// script, one reply per request, then 200: what a customer's webhook receiver is, failures included.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public enum Reply
    {
        Ok,
        ServerError,
        Unavailable,
        /// <summary>Never answers (until the sender gives up and closes the connection).</summary>
        Hang,
        /// <summary>302 to <see cref="RedirectTarget"/> on this same loopback server.</summary>
        Redirect,
    }

    /// <param name="Body">The raw bytes as they arrived (what the signature covers).</param>
    public sealed record Received(string Path, Dictionary<string, string> Headers, byte[] Body)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : "";
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script;
    private readonly List<Received> _received = [];

    private WebhookReceiver(WebApplication app, IEnumerable<Reply> script)
    {
        _app = app;
        _script = new ConcurrentQueue<Reply>(script);
    }

    public string BaseUrl { get; private set; } = "";
    /// <summary>Where deliveries should go.</summary>
    public string Url => BaseUrl + "/hook";
    public string RedirectTarget => BaseUrl + "/redirected";

    public IReadOnlyList<Received> Requests { get { lock (_received) return _received.ToList(); } }

    public static async Task<WebhookReceiver> StartAsync(params Reply[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, script);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.Single().TrimEnd('/');
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_received) _received.Add(new Received(context.Request.Path, headers, body.ToArray()));
        if (context.Request.Path == "/redirected") return;
        var reply = _script.TryDequeue(out var next) ? next : Reply.Ok;
        switch (reply)
        {
            case Reply.ServerError:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("receiver broke", context.RequestAborted);
                break;
            case Reply.Unavailable:
                context.Response.StatusCode = 503;
                break;
            case Reply.Hang:
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { /* the sender timed out and hung up */ }
                break;
            case Reply.Redirect:
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = RedirectTarget;
                break;
            default:
                context.Response.StatusCode = 200;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
