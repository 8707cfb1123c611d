using System.Text;
using Microsoft.EntityFrameworkCore;

namespace StreamForge.Core.Data;

public sealed class StreamForgeDbContext(DbContextOptions<StreamForgeDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Video> Videos => Set<Video>();
    public DbSet<UploadSession> UploadSessions => Set<UploadSession>();
    public DbSet<UploadPart> UploadParts => Set<UploadPart>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<Caption> Captions => Set<Caption>();
    public DbSet<VideoDownload> VideoDownloads => Set<VideoDownload>();
    public DbSet<LoginFailure> LoginFailures => Set<LoginFailure>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DirectUpload> DirectUploads => Set<DirectUpload>();
    public DbSet<PlaybackView> PlaybackViews => Set<PlaybackView>();
    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StreamForgeDbContext).Assembly);
        ApplySnakeCaseNames(modelBuilder);
    }

    /// <summary>Postgres folds unquoted identifiers to lower case; snake_case keeps hand-written SQL readable.</summary>
    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // Explicit names (HasColumnName) win over the convention.
                if (property.FindAnnotation(Microsoft.EntityFrameworkCore.Metadata.RelationalAnnotationNames.ColumnName) is null)
                    property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])) && char.IsUpper(name[i - 1])))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
