using System.Buffers.Binary;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>
/// The video segments present their first frame at their own decode time, with no edit list to shift it: hls.js
/// ignores edit lists, and with x264's B-frames (the default veryfast preset) ffmpeg used to hide a two-frame delay in
/// one, so hls.js placed every video segment two frames late and stalled before the end of the 8 s AVI.
/// </summary>
public sealed class FragmentTimelineTests
{
    [Fact]
    public async Task B_frames_are_signed_composition_offsets_not_an_edit_list()
    {
        using var dir = new TempDir();
        // The source: 640x480 25 fps MPEG-4 Part 2 + MP3 in AVI, 201 frames of video and 8.046 s of audio.
        var source = dir.File("issue.avi");
        await Tools.OutputAsync("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error",
            "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "8", "-c:v", "mpeg4", "-q:v", "5", "-c:a", "libmp3lame", "-b:a", "128k", source);

        // The production preset (veryfast uses B-frames; the other tests' ultrafast does not).
        var media = await new MediaProcessor(new MediaToolsOptions()).ProcessAsync(source, dir.File("work"), "v", null);

        Assert.Equal(8.04, media.Manifest.Video[0].Segments.Sum(s => s.Duration), 3);
        foreach (var video in media.Manifest.Video)
        {
            var init = await File.ReadAllBytesAsync(Path.Combine(media.OutputRoot, video.Init));
            Assert.All(EditListMediaTimes(init), t => Assert.Equal(0, t));

            var first = await File.ReadAllBytesAsync(Path.Combine(media.OutputRoot, video.Segments[0].Url));
            var offsets = CompositionOffsets(first);
            Assert.Equal(0, offsets[0]);
            // The clip has B-frames (else this test proves nothing): they are presented before their decode time.
            Assert.Contains(offsets, o => o < 0);
        }
    }

    /// <summary>media_time of every entry of the moov/trak/edts/elst boxes.</summary>
    private static List<long> EditListMediaTimes(byte[] init)
    {
        var times = new List<long>();
        foreach (var elst in Find(init, 0, init.Length, ["moov", "trak", "edts", "elst"]))
        {
            var version = init[elst];
            var count = BinaryPrimitives.ReadInt32BigEndian(init.AsSpan(elst + 4));
            var at = elst + 8;
            for (var i = 0; i < count; i++)
            {
                times.Add(version == 1
                    ? BinaryPrimitives.ReadInt64BigEndian(init.AsSpan(at + 8))
                    : BinaryPrimitives.ReadInt32BigEndian(init.AsSpan(at + 4)));
                at += version == 1 ? 20 : 12;
            }
        }

        return times;
    }

    /// <summary>The sample composition offsets of the first moof/traf/trun (signed: trun version 1).</summary>
    private static List<int> CompositionOffsets(byte[] segment)
    {
        var trun = Find(segment, 0, segment.Length, ["moof", "traf", "trun"]).First();
        var flags = BinaryPrimitives.ReadInt32BigEndian(segment.AsSpan(trun)) & 0xFFFFFF;
        Assert.True((flags & 0x800) != 0, "trun carries no composition offsets");
        var count = BinaryPrimitives.ReadInt32BigEndian(segment.AsSpan(trun + 4));
        var at = trun + 8 + ((flags & 0x1) != 0 ? 4 : 0) + ((flags & 0x4) != 0 ? 4 : 0);
        var perSample = new[] { 0x100, 0x200, 0x400, 0x800 }.Count(f => (flags & f) != 0) * 4;
        var skip = new[] { 0x100, 0x200, 0x400 }.Count(f => (flags & f) != 0) * 4;
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt32BigEndian(segment.AsSpan(at + (i * perSample) + skip))).ToList();
    }

    /// <summary>Offsets of the bodies (after the full-box-less 8-byte header) of the boxes at this path.</summary>
    private static IEnumerable<int> Find(byte[] data, int from, int to, string[] path)
    {
        var at = from;
        while (at + 8 <= to)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(data, at + 4, 4);
            if (size < 8 || at + size > to)
            {
                yield break;
            }

            if (type == path[0])
            {
                if (path.Length == 1)
                {
                    yield return at + 8;
                }
                else
                {
                    foreach (var inner in Find(data, at + 8, at + size, path[1..]))
                    {
                        yield return inner;
                    }
                }
            }

            at += size;
        }
    }
}
