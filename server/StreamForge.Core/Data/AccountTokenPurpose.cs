namespace StreamForge.Core.Data;

public static class AccountTokenPurpose
{
    public const string PasswordReset = "password_reset";
    public const string EmailConfirmation = "email_confirmation";
    public static readonly string[] All = [PasswordReset, EmailConfirmation];
}
