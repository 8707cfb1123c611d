namespace StreamForge.Media;

public sealed record SpriteSheet(string Url, int Columns, int Rows);
