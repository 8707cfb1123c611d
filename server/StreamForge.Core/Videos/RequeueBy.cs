namespace StreamForge.Core.Videos;

/// <summary>Who asks for a video to be processed again: owners retry failed videos within a daily cap, admins requeue freely.</summary>
public enum RequeueBy
{
    Owner,
    Admin,
}
