using System.Net.Sockets;
using System.Text;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// A TCP proxy in front of the S3 server that answers chosen requests with 503 instead of passing
/// them on: a storage outage as the worker's HTTP client really sees it. Everything else is piped
/// through byte for byte (the Host header is kept, so SigV4 signatures still verify).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly Func<string, bool> _shouldFail;
    private readonly CancellationTokenSource _stop = new();
    private int _faultsLeft;
    private int _faulted;

    /// <param name="requestLinePrefix">Requests whose first line starts with this fail, e.g. "PUT /streamforge/media/".</param>
    public FaultProxy(string target, string requestLinePrefix, int faults)
    {
        _target = new Uri(target);
        _shouldFail = line => line.StartsWith(requestLinePrefix, StringComparison.Ordinal);
        _faultsLeft = faults;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
    public int Faulted => Volatile.Read(ref _faulted);

    /// <summary>While false every request passes (a fault that starts part-way through a job).</summary>
    public bool Armed { get => _armed; set => _armed = value; }
    private volatile bool _armed = true;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch { return; }
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        var downstream = client.GetStream();
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            var up = upstream.GetStream();
            // Requests on one keep-alive connection are inspected one read at a time: good enough for
            // the SDK, which sends each request's head in its first write.
            var toServer = Task.Run(async () =>
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await downstream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    var head = Encoding.ASCII.GetString(buffer, 0, Math.Min(n, 200));
                    if (Armed && LooksLikeRequest(head) && _shouldFail(head) && Interlocked.Decrement(ref _faultsLeft) >= 0)
                    {
                        Interlocked.Increment(ref _faulted);
                        var body = "<Error><Code>ServiceUnavailable</Code><Message>injected fault</Message></Error>";
                        await downstream.WriteAsync(Encoding.ASCII.GetBytes(
                            $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), _stop.Token);
                        client.Client.Shutdown(SocketShutdown.Both);
                        return;
                    }
                    await up.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
                upstream.Client.Shutdown(SocketShutdown.Send);
            });
            var toClient = up.CopyToAsync(downstream, _stop.Token);
            await Task.WhenAny(toServer, toClient);
        }
        catch
        {
            // Connections end abruptly in a fault proxy; that is the point.
        }
    }

    private static bool LooksLikeRequest(string head) =>
        head.StartsWith("GET ") || head.StartsWith("PUT ") || head.StartsWith("POST ") || head.StartsWith("HEAD ") || head.StartsWith("DELETE ");

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
