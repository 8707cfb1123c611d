namespace StreamForge.Media;

public sealed record AudioStreamInfo(int StreamIndex, string Codec, int Channels, int SampleRate);
