namespace StreamForge.Media;

/// <summary>A caption file that cannot be served; the message says what is wrong and where, for the uploader.</summary>
public sealed class CaptionFormatException(string message) : Exception(message);
