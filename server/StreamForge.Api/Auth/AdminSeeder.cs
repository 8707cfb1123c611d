using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Configuration;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>
/// Creates the admin account named by configuration on startup. It never touches an existing account: anyone
/// could have registered the admin's address first, and promoting that account would hand them the service.
/// </summary>
public static class AdminSeeder
{
    public const string DevEmail = "admin@streamforge.local";
    /// <summary>Outside development it is refused at start (<see cref="SecretChecks"/>): a well-known password is as good as none.</summary>
    public const string DevPassword = SecretChecks.DevelopmentAdminPassword;

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var env = services.GetRequiredService<IHostEnvironment>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminSeeder));
        var email = options.AdminEmail;
        var password = options.AdminPassword;
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            if (!env.IsDevelopment())
            {
                log.LogWarning("No admin seeded: set Auth__AdminEmail and Auth__AdminPassword.");
                return;
            }
            (email, password) = (DevEmail, DevPassword);
            log.LogWarning("Seeding the development admin {Email} / {Password}; set Auth__AdminEmail and Auth__AdminPassword.", email, password);
        }

        var db = services.GetRequiredService<StreamForgeDbContext>();
        var normalized = SessionService.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, ct);
        if (user is not null)
        {
            if (user.Role != Roles.Admin)
                log.LogError("Auth:AdminEmail {Email} belongs to an existing account that is not an admin; it was NOT promoted. " +
                    "If that account is yours, promote it from another admin account (or in the database); otherwise configure another admin address.", normalized);
            return;
        }
        var now = DateTimeOffset.UtcNow;
        // The operator chose this address: it needs no confirmation mail.
        user = new User { Id = Guid.NewGuid(), Email = normalized, Role = Roles.Admin, EmailConfirmedAt = now, CreatedAt = now, UpdatedAt = now };
        user.PasswordHash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
        db.Users.Add(user);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { /* another API node seeded it first */ }
    }
}
