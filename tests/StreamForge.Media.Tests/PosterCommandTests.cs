using System.Buffers.Binary;
using StreamForge.Media;

namespace StreamForge.Media.Tests;

/// <summary>The poster's pure parts: the header check that runs before any decoding, and the two ffmpeg commands.</summary>
public sealed class PosterCommandTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] Png(int width, int height, bool goodCrc = true)
    {
        var chunk = new byte[17];
        "IHDR"u8.CopyTo(chunk);
        BinaryPrimitives.WriteInt32BigEndian(chunk.AsSpan(4), width);
        BinaryPrimitives.WriteInt32BigEndian(chunk.AsSpan(8), height);
        chunk[12] = 8;
        chunk[13] = 2;
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, ImageHeader.Crc32(chunk) ^ (goodCrc ? 0u : 1u));
        return [.. PngSignature, 0, 0, 0, 13, .. chunk, .. crc, 1, 2, 3];
    }

    [Fact]
    public void Png_and_jpeg_headers_give_their_size_without_decoding()
    {
        Assert.Equal(new ImageHeader(ImageKind.Png, 20000, 20000), ImageHeader.Read(Png(20000, 20000), out _));
        // SOI, an APP0 segment, fill bytes, then SOF2 (progressive): 480 high, 640 wide.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xFF, 0xC2, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 3, 0, 0, 0];
        var header = ImageHeader.Read(jpeg, out _);
        Assert.Equal(new ImageHeader(ImageKind.Jpeg, 640, 480), header);
        Assert.Equal("jpeg_pipe", header!.Demuxer);
    }

    [Theory]
    [InlineData("text", "not a JPEG or PNG")]
    [InlineData("png-garbage", "damaged")]
    [InlineData("png-bad-crc", "damaged")]
    [InlineData("png-zero", "damaged")]
    [InlineData("jpeg-scan-first", "damaged")]
    [InlineData("jpeg-truncated", "damaged")]
    [InlineData("empty", "not a JPEG or PNG")]
    public void Anything_else_is_refused_with_a_reason(string kind, string reason)
    {
        byte[] bytes = kind switch
        {
            "text" => "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(),
            "png-garbage" => [.. PngSignature, .. "garbage garbage garbage garbage"u8.ToArray()],
            "png-bad-crc" => Png(64, 64, goodCrc: false),
            "png-zero" => Png(0, 64),
            "jpeg-scan-first" => [0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 2, 3, 4, 5, 6],
            "jpeg-truncated" => [0xFF, 0xD8, 0xFF, 0xE0, 0x10],
            _ => [],
        };
        Assert.Null(ImageHeader.Read(bytes, out var problem));
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Frame_command_seeks_inside_a_local_mp4_and_scales_to_the_poster_box()
    {
        var builder = new FfmpegCommandBuilder(new MediaToolsOptions());
        Assert.Equal((640, 360), builder.PosterSize(1920, 1080));
        Assert.Equal((480, 270), builder.PosterSize(480, 270));
        var line = FfmpegCommandBuilder.ToCommandLine("ffmpeg", builder.BuildPosterFrame("/w/track.mp4", 1.5, 640, 360, "/w/poster.jpg"));
        Assert.Equal(
            "ffmpeg -hide_banner -nostdin -y -v error -protocol_whitelist file -format_whitelist mov,matroska,avi,mpegts,flv,ogg,mpeg,asf -enable_drefs 0 -use_absolute_path 0 " +
            "-ss 1.5 -i /w/track.mp4 -map 0:v:0 -frames:v 1 -vf scale=640:360:flags=bicubic,setsar=1 -q:v 3 -f image2 -update 1 /w/poster.jpg",
            line);
    }

    [Fact]
    public void Image_command_reads_through_one_image_demuxer_with_a_pixel_limit_and_never_upscales()
    {
        var builder = new FfmpegCommandBuilder(new MediaToolsOptions());
        var line = FfmpegCommandBuilder.ToCommandLine("ffmpeg",
            builder.BuildPosterImage("/w/upload", new ImageHeader(ImageKind.Png, 1280, 960), 1280 * 960, 640, "/w/poster.jpg"));
        Assert.Equal(
            "ffmpeg -hide_banner -nostdin -y -v error -protocol_whitelist file -format_whitelist png_pipe -f png_pipe -max_pixels 1228800 -i /w/upload " +
            "-map 0:v:0 -frames:v 1 -vf 'scale=w='\\''min(iw,640)'\\'':h=-2:flags=bicubic,setsar=1,format=yuvj420p' -q:v 3 -f image2 -update 1 /w/poster.jpg",
            line);
        Assert.DoesNotContain("image2 -", line.Split("-i")[0]);
    }
}
