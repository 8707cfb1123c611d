namespace StreamForge.Core.Data;

public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
    public static readonly string[] All = [User, Admin];
}
