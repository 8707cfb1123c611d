using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>Creates the admin account named by configuration on startup (never overwrites a password).</summary>
public static class AdminSeeder
{
    public const string DevEmail = "admin@streamforge.local";
    public const string DevPassword = "streamforge-admin";

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
            if (user.Role != Roles.Admin) { user.Role = Roles.Admin; await db.SaveChangesAsync(ct); }
            return;
        }
        var now = DateTimeOffset.UtcNow;
        user = new User { Id = Guid.NewGuid(), Email = normalized, Role = Roles.Admin, CreatedAt = now, UpdatedAt = now };
        user.PasswordHash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
        db.Users.Add(user);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { /* another API node seeded it first */ }
    }
}
