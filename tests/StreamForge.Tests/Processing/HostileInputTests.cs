using System.Net.Sockets;
using System.Text;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Processing;

/// <summary>
/// Uploads crafted files through the real API to one real worker and proves the transcoder treats them as data:
/// every indirect format (playlists, lists, images, text) is refused before transcoding with a readable permanent
/// error, nothing is published, the canary outside the job folder is never opened and nothing is fetched.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class HostileInputTests(StackFixture stack) : IAsyncLifetime
{
    private const string Ready = "ready";

    private readonly ApiFactory _api = stack.Api;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sf-hostile-");
    private WorkerProcess _worker = null!;
    private FifoCanary _canary = null!;
    private ConnectionCounter _listener = null!;

    public async Task InitializeAsync()
    {
        _canary = await FifoCanary.CreateAsync(Path.Combine(_dir.FullName, "canary"));
        _listener = new ConnectionCounter();
        _worker = WorkerProcess.Start(stack, _api.ConnectionString, new Dictionary<string, string> { ["Worker__MaxConcurrentJobs"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        _canary.Dispose();
        _listener.Dispose();
        _dir.Delete(recursive: true);
    }

    /// <summary>One upload: the bytes under an upload name, and either <see cref="Ready"/> or a substring of lastError.</summary>
    private sealed record Case(string Name, string FileName, byte[] Bytes, string Expect);

    [Fact]
    public async Task Indirect_formats_polyglots_and_oversized_media_are_refused_and_nothing_outside_the_job_is_touched()
    {
        var cases = await BuildCasesAsync();
        Assert.True(cases.Count >= 25, $"only {cases.Count} cases");
        var client = await _api.RegisterAsync();
        var ids = new List<(Case Case, Guid Id)>();
        foreach (var c in cases)
        {
            var path = Path.Combine(_dir.FullName, "uploads", c.Name, c.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, c.Bytes);
            ids.Add((c, await VideoFlow.UploadAsync(client, path, title: c.Name)));
        }

        var storage = _api.Services.GetRequiredService<IStorageGateway>();
        var failures = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(150);
        foreach (var (c, id) in ids)
        {
            var video = await VideoFlow.WaitForFinalAsync(client, id, deadline - DateTime.UtcNow, () => _worker.Log);
            var status = video.GetProperty("status").GetString();
            var error = video.TryGetProperty("lastError", out var e) ? e.GetString() ?? "" : "";
            var keys = await storage.ListKeysAsync(StorageKeys.MediaPrefix(id), default);
            var runs = await TestDb.QueryAsync(_api, "SELECT outcome FROM job_runs WHERE video_id = @id", id);
            if (c.Expect == Ready)
            {
                if (status != "ready") failures.Add($"{c.Name}: expected ready, got {status}: {error}");
                else if (keys.Count == 0) failures.Add($"{c.Name}: ready but nothing published");
                continue;
            }

            if (status != "failed") failures.Add($"{c.Name}: expected failed, got {status}");
            if (!error.Contains(c.Expect, StringComparison.Ordinal)) failures.Add($"{c.Name}: lastError '{error}' lacks '{c.Expect}'");
            // A file that fails late may have been playable meanwhile: its growing media goes right after the video
            // turns failed (the failure is recorded first, in case storage is what failed).
            if (keys.Count != 0)
                await Eventually.ValueAsync(() => storage.ListKeysAsync(StorageKeys.MediaPrefix(id), default), k => k.Count == 0, TimeSpan.FromSeconds(15),
                    k => $"{c.Name}: published {string.Join(", ", k ?? [])}");
            if (runs.Count != 1) failures.Add($"{c.Name}: a permanent refusal ran {runs.Count} times ({string.Join(", ", runs)})");
        }

        var opened = _canary.StopAndCountOpens();
        if (opened != 0) failures.Add($"the canary FIFO outside the job folder was opened {opened} time(s)");
        if (_listener.Connections != 0) failures.Add($"the HTTP listener saw {_listener.Connections} connection(s): {_listener.FirstRequest}");
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n--- worker log ---\n" + _worker.Log);
    }

    /// <summary>The two detectors can fail: a reader of the FIFO and a client of the listener are both counted.</summary>
    [Fact]
    public async Task The_canary_and_the_listener_notice_a_reader()
    {
        using var canary = await FifoCanary.CreateAsync(Path.Combine(_dir.FullName, "self-check"));
        await Clips.RunAsync("cat", [canary.FifoPath]);
        // The writer reopens at once, so it may count a reader that is still closing more than once.
        Assert.InRange(canary.StopAndCountOpens(), 1, int.MaxValue);

        using var listener = new ConnectionCounter();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync($"http://127.0.0.1:{listener.Port}/probe"));
        Assert.InRange(listener.Connections, 1, int.MaxValue); // HttpClient retries a GET whose connection closed unanswered
        Assert.StartsWith("GET /probe", listener.FirstRequest);
    }

    [Fact]
    public async Task A_zero_length_upload_is_refused_at_create_with_a_problem()
    {
        var client = await _api.RegisterAsync();
        var response = await client.PostAsJsonAsync("/api/v1/uploads", new { fileName = "empty.mp4", size = 0, contentType = "video/mp4", title = "empty" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<List<Case>> BuildCasesAsync()
    {
        var fifo = _canary.FifoPath;
        var plain = _canary.PlainVideoPath;
        var http = $"http://127.0.0.1:{_listener.Port}";
        var variant = Path.Combine(_canary.Directory, "variant.m3u8");
        await File.WriteAllTextAsync(variant, Hls(fifo));

        string Hls(string entry) => $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{entry}\n#EXT-X-ENDLIST\n";
        Case Text(string name, string content, string looksLike) => new(name, "clip.mp4", Encoding.UTF8.GetBytes(content), $"it looks like {looksLike}");
        const string hls = "an HLS playlist";

        var mp4 = await File.ReadAllBytesAsync(await Clips.GenerateAsync(320, 240, 2, name: "hostile-base.mp4"));
        var cases = new List<Case>
        {
            Text("hls-absolute-path", Hls(fifo), hls),
            Text("hls-file-url", Hls("file:" + fifo), hls),
            Text("hls-file-url-slashes", Hls("file://" + fifo), hls),
            Text("hls-http-url", Hls($"{http}/segment.ts"), hls),
            Text("hls-data-uri", Hls("data:video/mp2t;base64,R0dHR0dHR0c="), hls),
            Text("hls-nested-variant", $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n{variant}\n#EXT-X-STREAM-INF:BANDWIDTH=2000\n{http}/v.m3u8\n", hls),
            Text("hls-names-a-real-video", Hls(plain), hls),
            Text("hls-subfile", Hls($"subfile,,start,0,end,0,,:{plain}"), hls),
            Text("hls-tee", Hls($"tee:{fifo}"), hls),
            Text("hls-concat-protocol", Hls($"concat:{fifo}|{plain}"), hls),
            Text("hls-bom-crlf", "\uFEFF" + Hls(fifo).Replace("\n", "\r\n"), hls),
            Text("dash-mpd", $"<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT2S\"><BaseURL>{http}/</BaseURL><Period><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"1\" bandwidth=\"1000\"><BaseURL>file://{fifo}</BaseURL></Representation></AdaptationSet></Period></MPD>\n", "a DASH manifest"),
            Text("ffconcat-list", $"ffconcat version 1.0\nfile '{fifo}'\nfile '{plain}'\n", "a concat list"),
            Text("concat-list-no-header", $"file '{plain}'\nfile '{http}/x.mp4'\n", "a concat list"),
            Text("tty-ansi-text", "\u001b[31mWARNING\u001b[0m this is terminal art, not a video\n", "a text file"),
            Text("sdp", $"v=0\no=- 0 0 IN IP4 127.0.0.1\ns=hostile\nc=IN IP4 127.0.0.1\nt=0 0\nm=video {_listener.Port} RTP/AVP 96\na=rtpmap:96 H264/90000\n", "an SDP session description"),
            Text("ffmetadata", ";FFMETADATA1\ntitle=hostile\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\n", "an ffmetadata file"),
            Text("srt-subtitles", "1\n00:00:00,000 --> 00:00:02,000\nhello\n", "a subtitle file"),
            Text("webvtt-subtitles", "WEBVTT\n\n00:00.000 --> 00:02.000\nhello\n", "a subtitle file"),
            new("png-image", "photo.mp4", await GenerateAsync("still.png", "-f", "lavfi", "-i", "color=red:size=64x64", "-frames:v", "1"), "it looks like a PNG image"),
            new("jpeg-image", "photo.mp4", await GenerateAsync("still.jpg", "-f", "lavfi", "-i", "color=blue:size=64x64", "-frames:v", "1"), "it looks like a JPEG image"),
            new("gif-animation", "anim.mp4", await GenerateAsync("anim.gif", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5:duration=1"), "it looks like a GIF image"),
            // A playlist behind a real ftyp box: the mov demuxer would find no movie, and the sniffer names the playlist.
            new("playlist-behind-mp4-header", "clip.mp4", [.. mp4.AsSpan(0, BoxSize(mp4)), .. Encoding.UTF8.GetBytes("\n" + Hls(fifo))], "it looks like an HLS playlist"),
            // A real container the sniffer knows nothing about: only the demuxer allowlist refuses it.
            new("nut-container-outside-the-allowlist", "clip.mp4", await GenerateAsync("real.nut", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=1", "-c:v", "ffv1"), "not a readable media file"),
            // A real MP4 with a playlist appended is still only that MP4: trailing bytes are never followed.
            new("mp4-with-playlist-appended", "clip.mp4", [.. mp4, .. Encoding.UTF8.GetBytes(Hls(fifo))], Ready),
            new("mkv-named-mp4", "clip.mp4", await GenerateAsync("real.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"), Ready),
            new("webm-named-mp4", "clip.mp4", await GenerateAsync("real.webm", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15:duration=2", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "100k"), Ready),
            new("absurd-width", "wide.mp4", await GenerateAsync("wide.mkv", "-f", "lavfi", "-i", "color=size=9000x16:rate=1:duration=1", "-c:v", "rawvideo", "-pix_fmt", "yuv420p"), "9000x16 pixels; the limit is 8192"),
            new("absurd-fps", "fast.mp4", await GenerateAsync("fast.mkv", "-f", "lavfi", "-i", "testsrc=size=16x16:rate=1000:duration=1", "-c:v", "rawvideo", "-pix_fmt", "yuv420p"), "1000 frames per second; the limit is 120"),
            new("absurd-duration", "long.mp4", await GenerateAsync("long.mkv", "-f", "lavfi", "-i", "color=size=16x16:rate=1/60:duration=16230", "-c:v", "libx264", "-preset", "ultrafast"), "min long; the limit is 4 h."),
            new("too-many-streams", "many.mp4", await GenerateAsync("many.mkv", ["-f", "lavfi", "-i", "testsrc=size=16x16:rate=5:duration=1", .. Enumerable.Repeat(new[] { "-map", "0:v" }, 10).SelectMany(a => a), "-c:v", "rawvideo", "-pix_fmt", "yuv420p"]), "The file has 10 streams; the limit is 8."),
            new("truncated-mp4", "cut.mp4", (await File.ReadAllBytesAsync(await Clips.GenerateAsync(320, 240, 6, name: "hostile-long.mp4")))[..60_000], "truncated"),
            new("random-bytes", "noise.mp4", RandomBytes(64 * 1024), "not a readable media file"),
            new("audio-only", "song.mp4", await GenerateAsync("song.m4a", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac"), "no video stream (it contains only audio)"),
        };
        return cases;
    }

    /// <summary>The size of the first ISO BMFF box (the ftyp).</summary>
    private static int BoxSize(byte[] mp4) => (mp4[0] << 24) | (mp4[1] << 16) | (mp4[2] << 8) | mp4[3];

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(20261204).NextBytes(bytes);
        return bytes;
    }

    private async Task<byte[]> GenerateAsync(string name, params string[] args)
    {
        var path = Path.Combine(_dir.FullName, "gen", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Clips.RunAsync("ffmpeg", ["-hide_banner", "-v", "error", "-y", .. args, path]);
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>
    /// A FIFO outside every job folder, plus a plain valid video next to it (so being media is not why a playlist
    /// naming it is refused). A background thread opens the FIFO for writing; that open returns only when some
    /// process opens it for reading, so every read attempt is counted, however briefly the reader looks.
    /// </summary>
    private sealed class FifoCanary : IDisposable
    {
        private readonly Thread _writer;
        private volatile bool _done;
        private int _opens;

        private FifoCanary(string directory)
        {
            Directory = directory;
            _writer = new Thread(WriteLoop) { IsBackground = true, Name = "fifo-canary" };
        }

        public string Directory { get; }
        public string FifoPath => Path.Combine(Directory, "secret.mp4");
        public string PlainVideoPath => Path.Combine(Directory, "plain.mp4");

        public static async Task<FifoCanary> CreateAsync(string directory)
        {
            System.IO.Directory.CreateDirectory(directory);
            var canary = new FifoCanary(directory);
            await Clips.RunAsync("mkfifo", [canary.FifoPath]);
            File.Copy(await Clips.GenerateAsync(160, 120, 1, name: "hostile-plain.mp4"), canary.PlainVideoPath);
            canary._writer.Start();
            return canary;
        }

        /// <summary>
        /// Unblocks the writer by opening the FIFO for reading ourselves, after marking that open as ours. The open is
        /// non-blocking: should the writer already be gone, a blocking open would wait for ever.
        /// </summary>
        public int StopAndCountOpens()
        {
            if (!_done)
            {
                _done = true;
                var fd = Open(FifoPath, ONonBlock);
                Assert.True(fd >= 0, $"could not open the canary FIFO (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
                // Held open until the writer is gone: a writer still between two opens (a loaded machine) then finds
                // a reader at its next open instead of blocking for ever after ours has come and gone.
                try
                {
                    Assert.True(_writer.Join(TimeSpan.FromSeconds(10)), "the canary writer did not stop");
                }
                finally
                {
                    Close(fd);
                }
            }

            return Volatile.Read(ref _opens);
        }

        private const int ONonBlock = 0x800; // O_RDONLY | O_NONBLOCK on Linux

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int Open(string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
        private static extern int Close(int fd);

        public void Dispose() => StopAndCountOpens();

        private void WriteLoop()
        {
            while (true)
            {
                bool stopping;
                // Read while the FIFO is still open: a reader sees end-of-file only after the close, so the test
                // cannot have asked to stop yet when a real reader's open is being counted.
                using (new FileStream(FifoPath, FileMode.Open, FileAccess.Write)) stopping = _done;
                if (stopping) return;
                Interlocked.Increment(ref _opens);
            }
        }
    }

    /// <summary>A TCP listener on 127.0.0.1 that only counts who connects (and keeps the first request line).</summary>
    private sealed class ConnectionCounter : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public ConnectionCounter()
        {
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);
        public string? FirstRequest { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    var buffer = new byte[512];
                    using var read = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    try
                    {
                        var n = await client.GetStream().ReadAsync(buffer, read.Token);
                        FirstRequest ??= Encoding.ASCII.GetString(buffer, 0, n).Split('\n')[0];
                    }
                    catch (OperationCanceledException)
                    {
                        FirstRequest ??= "(connected, sent nothing)";
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }
    }
}
