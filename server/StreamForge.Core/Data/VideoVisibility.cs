namespace StreamForge.Core.Data;

/// <summary>
/// Who may watch a video: <see cref="Public"/> anyone, and it is listed; <see cref="Unlisted"/> anyone with its link,
/// never listed; <see cref="Private"/> the owner, admins and holders of a share link or playback token.
/// </summary>
public enum VideoVisibility
{
    Public,
    Unlisted,
    Private,
}
