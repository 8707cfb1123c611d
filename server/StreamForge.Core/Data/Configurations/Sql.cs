namespace StreamForge.Core.Data.Configurations;

internal static class Sql
{
    public static string In(string column, IEnumerable<string> values) =>
        $"{column} IN ({string.Join(", ", values.Select(v => $"'{v}'"))})";
}
