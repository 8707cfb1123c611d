using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamForge.Tests.Uploads;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that an import fetches from. Raw sockets, so a route can say what no well-behaved
/// server would (a small Content-Length over a longer chunked body) or send one byte at a time. Counts requests per path.
/// </summary>
public sealed class ImportSourceServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, Func<Stream, CancellationToken, Task>> _routes = [];
    private readonly Dictionary<string, int> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ImportSourceServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    public int Requests(string path) { lock (_requests) return _requests.GetValueOrDefault(path); }

    public ImportSourceServer Map(string path, Func<Stream, CancellationToken, Task> respond)
    {
        _routes[path] = respond;
        return this;
    }

    public static Task HeadersAsync(Stream s, string status, params string[] headers) =>
        WriteAsync(s, $"HTTP/1.1 {status}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}Connection: close\r\n\r\n");

    public static async Task BodyAsync(Stream s, string status, string contentType, byte[] body, CancellationToken ct)
    {
        await HeadersAsync(s, status, $"Content-Type: {contentType}", $"Content-Length: {body.Length}");
        await s.WriteAsync(body, ct);
    }

    public static Task WriteAsync(Stream s, string text) => s.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, _stop.Token) == 1)
                    head.Append((char)one[0]);
                var path = head.ToString().Split(' ') is [_, var p, ..] ? p : "/";
                lock (_requests) _requests[path] = _requests.GetValueOrDefault(path) + 1;
                if (_routes.TryGetValue(path, out var respond)) await respond(stream, _stop.Token);
                else await BodyAsync(stream, "404 Not Found", "text/plain", "no such file"u8.ToArray(), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception)
            {
                // The importer hung up (it stopped at a cap): that is what some tests are for.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
