using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using StreamForge.Core.Storage;
using StreamForge.Tests.Infrastructure;

namespace StreamForge.Tests.Processing;

/// <summary>
/// Files crafted to make the transcoder read what it must not: playlists, concat lists and other indirect formats
/// naming a canary outside the job folder and a local HTTP listener, polyglots, absurd headers, broken data. Each goes
/// through the real API, storage and a real worker with real ffprobe/ffmpeg. Each must end in the expected state with
/// a readable error, failed at once (not retried), nothing published, the canary never opened and no request made.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class HostileInputTests(StackFixture stack) : IAsyncLifetime
{
    private readonly ApiFactory _api = stack.Api;
    private readonly string _dir = Directory.CreateTempSubdirectory("sf-hostile-").FullName;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _connections;
    private Canary _canary = null!;
    private WorkerProcess _worker = null!;

    /// <param name="Expect">"failed", "ready", or "refused" (the API refuses the upload itself).</param>
    /// <param name="Error">A regular expression the video's lastError (or the API's problem detail) must match.</param>
    private sealed record Case(string Name, string File, string Expect, string Error);

    public async Task InitializeAsync()
    {
        _listener.Start();
        _ = AcceptAsync();
        _canary = await Canary.CreateAsync(_dir);
        _worker = WorkerProcess.Start(stack, _api.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        _canary.Dispose();
        _listener.Stop();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    [Fact]
    public async Task Crafted_files_are_refused_or_processed_safely()
    {
        var cases = await BuildCasesAsync();
        Assert.True(cases.Count >= 25, $"{cases.Count} cases");
        var client = await _api.RegisterAsync();
        var storage = _api.Services.GetRequiredService<IStorageGateway>();
        var problems = new List<string>();

        var uploaded = new List<(Case Case, Guid VideoId)>();
        foreach (var c in cases)
        {
            var size = new FileInfo(c.File).Length;
            if (c.Expect == "refused")
            {
                var response = await client.PostAsync("/api/v1/uploads", new StringContent(
                    $$"""{"fileName":"{{Path.GetFileName(c.File)}}","size":{{size}},"contentType":"video/mp4"}""", Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.BadRequest || !Regex.IsMatch(body, c.Error))
                    problems.Add($"{c.Name}: expected a 400 matching /{c.Error}/, got {(int)response.StatusCode} {body}");
                continue;
            }
            uploaded.Add((c, await VideoFlow.UploadAsync(client, c.File)));
        }

        foreach (var (c, videoId) in uploaded)
        {
            var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(120), () => _worker.Log);
            var status = video.GetProperty("status").GetString();
            var error = video.TryGetProperty("lastError", out var e) ? e.GetString() ?? "" : "";
            if (status != c.Expect) problems.Add($"{c.Name}: expected {c.Expect}, got {status} ({error})");
            if (c.Expect == "failed")
            {
                if (!Regex.IsMatch(error, c.Error)) problems.Add($"{c.Name}: error '{error}' does not match /{c.Error}/");
                var keys = await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId), default);
                if (keys.Count > 0) problems.Add($"{c.Name}: {keys.Count} objects published ({keys[0]})");
                var runs = await TestDb.QueryAsync(_api, "SELECT outcome FROM job_runs WHERE video_id = @id", videoId);
                if (runs.Count != 1) problems.Add($"{c.Name}: {runs.Count} runs ({string.Join(", ", runs)}): a permanent failure must not be retried");
            }
        }

        if (_canary.WasOpened) problems.Add("the canary outside the job folder was opened");
        if (_connections > 0) problems.Add($"the HTTP listener saw {_connections} connection(s)");
        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n--- worker log ---\n" + _worker.Log[^Math.Min(_worker.Log.Length, 4000)..]);
    }

    private async Task<List<Case>> BuildCasesAsync()
    {
        var fifo = _canary.FifoPath;
        var canaryVideo = _canary.VideoPath;
        var url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        const string notAccepted = "not a video we accept";
        var cases = new List<Case>();

        Case Text(string name, string text, string looksLike) =>
            new(name, Write($"{name}.mp4", text), "failed", $"{notAccepted} \\(it looks like {looksLike}\\)");
        string Playlist(params string[] entries) =>
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
            + string.Concat(entries.Select(e => $"#EXTINF:10.0,\n{e}\n")) + "#EXT-X-ENDLIST\n";

        // Indirect formats: each names the canary (a FIFO that tells if anyone opens it, and a real video) or the listener.
        cases.Add(Text("hls-absolute-path", Playlist(fifo), "an HLS playlist"));
        cases.Add(Text("hls-file-url", Playlist($"file://{canaryVideo}"), "an HLS playlist"));
        cases.Add(Text("hls-http-url", Playlist($"{url}/segment.ts"), "an HLS playlist"));
        cases.Add(Text("hls-data-uri", Playlist("data:video/mp2t;base64,R0dHRw=="), "an HLS playlist"));
        cases.Add(Text("hls-nested-playlist", $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n{url}/inner.m3u8\n", "an HLS playlist"));
        cases.Add(Text("hls-subfile-url", Playlist($"subfile,,start,0,end,0,,:{fifo}"), "an HLS playlist"));
        cases.Add(Text("hls-concat-protocol", Playlist($"concat:{fifo}|{canaryVideo}"), "an HLS playlist"));
        cases.Add(Text("hls-map-uri", $"#EXTM3U\n#EXT-X-MAP:URI=\"{fifo}\"\n#EXTINF:1,\n{canaryVideo}\n#EXT-X-ENDLIST\n", "an HLS playlist"));
        cases.Add(Text("hls-with-bom-and-blank-lines", "\uFEFF\n\n" + Playlist(fifo), "an HLS playlist"));
        cases.Add(Text("dash-manifest", $"""<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>file://{fifo}</BaseURL></MPD>""", "a DASH manifest"));
        cases.Add(Text("ffconcat-list", $"ffconcat version 1.0\nfile '{fifo}'\nfile '{canaryVideo}'\n", "a concat list"));
        cases.Add(Text("bare-concat-list", $"file '{canaryVideo}'\n", "a concat list"));
        cases.Add(Text("sdp-session", $"v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video {((IPEndPoint)_listener.LocalEndpoint).Port} RTP/AVP 96\n", "an SDP session description"));
        cases.Add(Text("ffmetadata", ";FFMETADATA1\ntitle=owned\n", "an ffmpeg metadata file"));
        cases.Add(Text("srt-subtitles", "1\n00:00:00,000 --> 00:00:01,000\nhello\n", "an SRT subtitle file"));
        cases.Add(Text("webvtt-subtitles", "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", "a WebVTT subtitle file"));
        cases.Add(Text("tty-text-naming-a-path", $"{fifo}\n", "a text file"));
        cases.Add(Text("html-page", $"<html><body><img src=\"{url}/x.png\"></body></html>", "an XML or HTML document"));
        cases.Add(new("single-byte", Write("one-byte.mp4", "x"), "failed", "it looks like a text file"));

        // Images and audio: real media, but not a video we transcode.
        cases.Add(new("png-image", await MediaAsync("image.mp4", "png", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", "-c:v", "png", "-f", "image2pipe"), "failed", $"{notAccepted}.*an image"));
        cases.Add(new("jpeg-image", await MediaAsync("photo.mp4", "jpg", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", "-c:v", "mjpeg", "-f", "image2pipe"), "failed", $"{notAccepted}.*an image"));
        cases.Add(new("audio-only", await MediaAsync("song.mp4", "m4a", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac"), "failed", "no video stream"));

        // Polyglots: a real video with a playlist appended is a video (the tail is ignored, never followed);
        // a playlist behind an MP4 header is nothing ffmpeg can read.
        var real = await Clips.GenerateAsync(160, 90, 1, name: "hostile-base.mp4");
        cases.Add(new("mp4-with-playlist-appended", Write("polyglot-tail.mp4", File.ReadAllBytes(real).Concat(Encoding.ASCII.GetBytes("\n" + Playlist(fifo))).ToArray()), "ready", ""));
        var ftyp = new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'m', (byte)'p', (byte)'4', (byte)'1' };
        cases.Add(new("playlist-behind-mp4-header", Write("polyglot-head.mp4", ftyp.Concat(Encoding.ASCII.GetBytes(Playlist(fifo))).ToArray()), "failed", "not a readable media file|damaged"));

        // Wrong extensions on real videos are fine: the positive controls.
        cases.Add(new("matroska-named-mp4", await MediaAsync("really-mkv.mp4", "mkv", "-f", "lavfi", "-i", "testsrc=s=160x90:d=1", "-c:v", "libx264", "-preset", "ultrafast"), "ready", ""));
        cases.Add(new("avi-named-mp4", await MediaAsync("really-avi.mp4", "avi", "-f", "lavfi", "-i", "testsrc=s=160x90:d=1", "-c:v", "mpeg4"), "ready", ""));

        // Absurd but real figures, refused on the probe before any transcoding.
        cases.Add(new("9000-pixels-wide", await MediaAsync("wide.mp4", "mkv", "-f", "lavfi", "-i", "color=s=9000x16:d=0.2", "-c:v", "rawvideo", "-pix_fmt", "gray"), "failed", "limit is 8192 pixels per side"));
        cases.Add(new("1000-fps", await MediaAsync("fast.mp4", "mp4", "-f", "lavfi", "-i", "testsrc=s=64x64:r=1000:d=0.3", "-c:v", "libx264", "-preset", "ultrafast"), "failed", "1000 frames per second; the limit is 120"));
        cases.Add(new("over-four-hours", await MediaAsync("long.mp4", "mkv", "-f", "lavfi", "-i", "color=s=16x16:r=1:d=14500", "-c:v", "libx264", "-preset", "ultrafast", "-g", "600"), "failed", "4 h 1 min long; the limit is 4 h"));
        var streams = new List<string> { "-f", "lavfi", "-i", "testsrc=s=64x64:d=0.5" };
        for (var i = 0; i < 9; i++) streams.AddRange(["-f", "lavfi", "-i", "sine=d=0.5"]);
        for (var i = 0; i <= 9; i++) streams.AddRange(["-map", $"{i}"]);
        streams.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"]);
        cases.Add(new("ten-streams", await MediaAsync("streams.mp4", "mkv", [.. streams]), "failed", "10 streams; the limit is 8"));

        // Broken data.
        var truncated = File.ReadAllBytes(await Clips.GenerateAsync(320, 180, 3, name: "hostile-truncate.mp4"));
        cases.Add(new("truncated-mp4", Write("truncated.mp4", truncated[..(truncated.Length / 2)]), "failed", "truncated or damaged"));
        cases.Add(new("random-bytes", Write("noise.mp4", RandomBytes(65536)), "failed", "not a readable media file"));
        var zeroed = File.ReadAllBytes(real);
        var mdat = IndexOf(zeroed, "mdat"u8);
        Array.Clear(zeroed, mdat + 4, zeroed.Length - mdat - 4);
        cases.Add(new("valid-header-zeroed-frames", Write("zeroed.mp4", zeroed), "failed", "damaged|not really a video|Invalid|No picture"));
        cases.Add(new("zero-length", Write("empty.mp4", Array.Empty<byte>()), "refused", "positive"));
        return cases;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Makes a file with ffmpeg in the given container and stores it under a (wrong on purpose) name.</summary>
    private async Task<string> MediaAsync(string name, string extension, params string[] args)
    {
        var made = Path.Combine(_dir, $"{Path.GetFileNameWithoutExtension(name)}-made.{extension}");
        await Clips.RunAsync("ffmpeg", ["-hide_banner", "-v", "error", "-y", .. args, made]);
        var path = Path.Combine(_dir, name);
        File.Move(made, path, overwrite: true);
        return path;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>
    /// A FIFO outside any job folder: a thread blocks opening it for writing, which only returns when some
    /// process opens it for reading. Beside it a valid video, so being unreadable media is never why a case failed.
    /// </summary>
    private sealed class Canary : IDisposable
    {
        private readonly Thread _watcher;
        private volatile bool _done;
        private volatile bool _opened;

        private Canary(string fifo, string video)
        {
            FifoPath = fifo;
            VideoPath = video;
            _watcher = new Thread(() =>
            {
                using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                if (!_done) _opened = true;
            }) { IsBackground = true };
            _watcher.Start();
        }

        public string FifoPath { get; }
        public string VideoPath { get; }
        public bool WasOpened => _opened;

        public static async Task<Canary> CreateAsync(string dir)
        {
            var canaryDir = Directory.CreateDirectory(Path.Combine(dir, "canary")).FullName;
            var fifo = Path.Combine(canaryDir, "secret.ts");
            using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
            var video = Path.Combine(canaryDir, "secret.mp4");
            File.Copy(await Clips.GenerateAsync(160, 90, 1, name: "hostile-canary.mp4"), video);
            return new Canary(fifo, video);
        }

        public void Dispose()
        {
            _done = true;
            // Opening the read end ourselves lets the watcher's open return (unless someone else already did).
            if (!_opened) using (new FileStream(FifoPath, FileMode.Open, FileAccess.Read)) { }
            _watcher.Join(TimeSpan.FromSeconds(5));
        }
    }
}
