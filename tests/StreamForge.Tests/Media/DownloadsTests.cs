using Npgsql;
using StreamForge.Tests.Processing;

namespace StreamForge.Tests.Media;

/// <summary>Downloads against the real stack: presigned original, and a rung remuxed by a real worker and cached in storage.</summary>
[Collection(StackCollection.Name)]
public sealed class DownloadsTests(StackFixture stack) : WorkerTestBase(stack)
{
    [Fact]
    public async Task A_rung_downloads_as_one_remuxed_mp4_made_once_and_then_served_from_storage()
    {
        var owner = await Api.RegisterAsync();
        var clip = await Clips.GenerateAsync(1280, 720, 5, name: "Été à Paris.mp4");
        var videoId = await VideoFlow.UploadAsync(owner, clip);
        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        var duration = video.GetProperty("durationSeconds").GetDouble();

        // The detail names every rung with its size, bitrate and codec, and where to download it.
        var rungs = video.GetProperty("downloads").GetProperty("renditions").EnumerateArray().ToList();
        Assert.Equal(["360p", "480p", "720p"], rungs.Select(r => r.GetProperty("id").GetString()));
        var rung720 = rungs.Single(r => r.GetProperty("id").GetString() == "720p");
        Assert.Equal(720, rung720.GetProperty("height").GetInt32());
        Assert.True(rung720.GetProperty("bandwidth").GetInt64() > 0);
        Assert.StartsWith("avc1.", rung720.GetProperty("codecs").GetString());
        var endpoint = rung720.GetProperty("endpoint").GetString()!;
        Assert.Equal($"/api/v1/videos/{videoId}/downloads/720p", endpoint);

        // Concurrent first requests: all told "preparing" (or, if the remux was quick, "ready"); one job, one row.
        var first = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => owner.PostAsync(endpoint, null)));
        Assert.All(first, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Contains(first, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal("preparing", (await first.First(r => r.StatusCode == HttpStatusCode.Accepted).ReadJsonAsync()).GetProperty("status").GetString());

        var ready = await PollReadyAsync(owner, endpoint);
        Assert.Equal("Été à Paris-720p.mp4", ready.GetProperty("fileName").GetString());
        var file = Path.Combine(Path.GetTempPath(), $"{videoId}-720p.mp4");
        using (var response = await Http.GetAsync(ready.GetProperty("url").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var disposition = response.Content.Headers.ContentDisposition?.ToString() ?? "";
            Assert.StartsWith("attachment", disposition);
            Assert.Contains("filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Paris-720p.mp4", disposition);
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(ready.GetProperty("sizeBytes").GetInt64(), new FileInfo(file).Length);

        var probe = JsonDocument.Parse(await Clips.RunAsync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", file])).RootElement;
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        var v = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        Assert.Equal(("h264", 1280, 720), (v.GetProperty("codec_name").GetString(), v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32()));
        Assert.Equal("aac", streams.Single(s => s.GetProperty("codec_type").GetString() == "audio").GetProperty("codec_name").GetString());
        var probed = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(probed, duration - 0.2, duration + 0.2);
        // +faststart: the index comes before the media data, so playback starts while downloading.
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(IndexOf(bytes, "moov"u8) < IndexOf(bytes, "mdat"u8), "moov after mdat: not faststart");
        // No re-encode: the video bitstream is byte-for-byte what the segments carry (same frame count as the rung).
        var errors = await Clips.RunAsync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"]);
        Assert.True(string.IsNullOrWhiteSpace(errors), errors);
        File.Delete(file);

        // Asked again: served from storage at once, no second job.
        var again = await owner.PostAsync(endpoint, null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((1L, 1), await DownloadRowsAsync(videoId));
        Assert.Single(await StoredObjects.ListAsync(Stack, $"media/{videoId}/v1/downloads/"));
    }

    [Fact]
    public async Task The_original_downloads_under_its_name_and_others_and_unready_videos_are_refused()
    {
        var owner = await Api.RegisterAsync();
        var other = await Api.RegisterAsync();
        var clip = await Clips.GenerateAsync(640, 360, 3, name: "holiday \"best\".mp4");
        var videoId = await VideoFlow.UploadAsync(owner, clip);
        var pending = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();

        // The original can be fetched as soon as the upload is complete, even while processing.
        var original = await (await owner.GetAsync($"/api/v1/videos/{videoId}/downloads/original")).ReadJsonAsync();
        Assert.Equal("holiday _best_.mp4", original.GetProperty("fileName").GetString());
        Assert.True(original.GetProperty("expiresAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddMinutes(10));
        using (var response = await Http.GetAsync(original.GetProperty("url").GetString()))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, original.GetProperty("url").GetString() + "\n" + await response.Content.ReadAsStringAsync());
            Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString());
            Assert.Equal(await File.ReadAllBytesAsync(clip), await response.Content.ReadAsByteArrayAsync());
        }

        await (await other.GetAsync($"/api/v1/videos/{videoId}/downloads/original")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/api/v1/videos/{videoId}/downloads/360p", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("not been completed", await (await owner.GetAsync($"/api/v1/videos/{pending}/downloads/original")).AssertProblemAsync(HttpStatusCode.Conflict));
        Assert.Contains("ready", await (await owner.PostAsync($"/api/v1/videos/{pending}/downloads/360p", null)).AssertProblemAsync(HttpStatusCode.Conflict));
        var detail = await (await owner.GetAsync($"/api/v1/videos/{pending}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("downloads").GetProperty("original").ValueKind);
        Assert.Empty(detail.GetProperty("downloads").GetProperty("renditions").EnumerateArray());

        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());
        await (await owner.PostAsync($"/api/v1/videos/{videoId}/downloads/1080p", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.PostAsync($"/api/v1/videos/{videoId}/downloads/..%2F..%2Fraw", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        // An admin may download anyone's.
        var admin = await Api.LoginAdminAsync(Stack);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/videos/{videoId}/downloads/original")).StatusCode);
        var started = await admin.PostAsync($"/api/v1/videos/{videoId}/downloads/360p", null);
        Assert.True(started.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK);
        Assert.Equal(1L, (await DownloadRowsAsync(videoId)).Rows);
        await PollReadyAsync(admin, $"/api/v1/videos/{videoId}/downloads/360p");
    }

    [Fact]
    public async Task A_remux_whose_job_was_lost_is_scheduled_again_by_the_next_request()
    {
        var owner = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(owner, await Clips.GenerateAsync(640, 360, 3));
        Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log)).GetProperty("status").GetString());
        // A request recorded long ago whose job never ran (the scheduler lost it).
        await using (var conn = new NpgsqlConnection(Api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO video_downloads (video_id, media_version, rendition, status, attempts, requested_at) VALUES (@id, 1, '360p', 'preparing', 1, now() - interval '1 hour')", conn);
            cmd.Parameters.AddWithValue("id", videoId);
            await cmd.ExecuteNonQueryAsync();
        }

        var endpoint = $"/api/v1/videos/{videoId}/downloads/360p";
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync(endpoint, null)).StatusCode);
        await PollReadyAsync(owner, endpoint);
        Assert.Equal((1L, 2), await DownloadRowsAsync(videoId));
    }

    private async Task<JsonElement> PollReadyAsync(HttpClient client, string endpoint)
    {
        var (status, body) = await Eventually.ValueAsync(async () =>
            {
                using var response = await client.PostAsync(endpoint, null);
                return (response.StatusCode, await response.ReadJsonAsync());
            },
            answer => answer.StatusCode != HttpStatusCode.Accepted, TimeSpan.FromSeconds(60),
            _ => $"the download never became ready\n{Worker.Log}", TimeSpan.FromMilliseconds(200));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private async Task<(long Rows, int Attempts)> DownloadRowsAsync(Guid videoId)
    {
        await using var conn = new NpgsqlConnection(Api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*), coalesce(max(attempts), 0) FROM video_downloads WHERE video_id = @id", conn);
        cmd.Parameters.AddWithValue("id", videoId);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
