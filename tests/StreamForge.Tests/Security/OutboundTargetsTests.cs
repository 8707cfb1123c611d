using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamForge.Core.Outbound;

namespace StreamForge.Tests.Security;

/// <summary>The SSRF guard of webhooks and imports: the address rules, the URL rules, and real connections.</summary>
public sealed class OutboundTargetsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.100.100.200")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("198.18.0.1")]
    [InlineData("192.0.2.10")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:db8::1")]
    public void Refuses_non_public_addresses(string address) =>
        Assert.True(OutboundTargets.IsForbiddenAddress(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    public void Allows_public_addresses(string address) =>
        Assert.False(OutboundTargets.IsForbiddenAddress(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://[::1]/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://localhost:8080/")]
    public async Task Refuses_every_spelling_of_a_private_target(string url)
    {
        var reason = await OutboundTargets.CheckAsync(new Uri(url), allowPrivateTargets: false, CancellationToken.None);
        Assert.NotNull(reason);
        Assert.Contains("address", reason);
    }

    [Theory]
    [InlineData("ftp://example.com/a")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:secret@example.com/")]
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Refuses_urls_that_are_not_plain_http(string url) =>
        Assert.NotNull(OutboundTargets.CheckUrl(url, out _));

    [Fact]
    public async Task Private_targets_pass_only_when_allowed()
    {
        Assert.Null(await OutboundTargets.CheckAsync(new Uri("http://127.0.0.1:9/"), allowPrivateTargets: true, CancellationToken.None));
        Assert.NotNull(await OutboundTargets.CheckAsync(new Uri("http://127.0.0.1:9/"), allowPrivateTargets: false, CancellationToken.None));
    }

    [Fact]
    public async Task A_connection_to_a_loopback_server_is_refused_before_it_is_made()
    {
        await using var server = await RawHttpServer.StartAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        using var guarded = OutboundHttp.CreateClient(allowPrivateTargets: false, TimeSpan.FromSeconds(5));

        foreach (var url in new[] { $"http://127.0.0.1:{server.Port}/", $"http://localhost:{server.Port}/", $"http://2130706433:{server.Port}/" })
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(url));
            Assert.IsType<OutboundTargetRefusedException>(error.InnerException);
            Assert.Contains("loopback, private or reserved", OutboundHttp.Describe(error));
        }
        Assert.Equal(0, server.Connections);

        using var allowed = OutboundHttp.CreateClient(allowPrivateTargets: true, TimeSpan.FromSeconds(5));
        Assert.Equal("ok", await allowed.GetStringAsync($"http://127.0.0.1:{server.Port}/"));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_redirect_is_answered_not_followed()
    {
        await using var server = await RawHttpServer.StartAsync("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var client = OutboundHttp.CreateClient(allowPrivateTargets: true, TimeSpan.FromSeconds(5));
        using var response = await client.GetAsync($"http://127.0.0.1:{server.Port}/");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_large_answer_is_read_only_up_to_the_cap()
    {
        var body = new string('x', 100_000);
        await using var server = await RawHttpServer.StartAsync($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
        using var client = OutboundHttp.CreateClient(allowPrivateTargets: true, TimeSpan.FromSeconds(5));
        using var response = await client.GetAsync($"http://127.0.0.1:{server.Port}/", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(1024, (await OutboundHttp.ReadCappedAsync(response.Content, 1024, CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_closed_port_reads_as_refused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = OutboundHttp.CreateClient(allowPrivateTargets: true, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/"));
        Assert.Equal("The server refused the connection.", OutboundHttp.Describe(error));
    }

    /// <summary>Answers every connection with one fixed response and counts the connections.</summary>
    private sealed class RawHttpServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly byte[] response;
        private Task? loop;
        private int connections;

        private RawHttpServer(string response) => this.response = Encoding.ASCII.GetBytes(response);

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref connections);

        public static Task<RawHttpServer> StartAsync(string response)
        {
            var server = new RawHttpServer(response);
            server.listener.Start();
            server.loop = server.AcceptAsync();
            return Task.FromResult(server);
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                var stream = client.GetStream();
                var request = new byte[8192];
                var read = 0;
                // The answer goes out once the request's head has arrived, as a server's would.
                while (read < request.Length && !Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n"))
                {
                    var n = await stream.ReadAsync(request.AsMemory(read), stop.Token);
                    if (n == 0) break;
                    read += n;
                }
                await stream.WriteAsync(response, stop.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            try { await loop!; } catch (OperationCanceledException) { } catch (ObjectDisposedException) { } catch (SocketException) { }
        }
    }
}
