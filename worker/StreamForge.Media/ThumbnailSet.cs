namespace StreamForge.Media;

public sealed record ThumbnailSet(string Vtt, int Interval, int TileWidth, int TileHeight, IReadOnlyList<SpriteSheet> Sprites);
