using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.State;

internal static class StateErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int Corrupt = 11;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static HaloSyncException Translate(string path, SqliteException ex)
    {
        switch (ex.SqliteErrorCode)
        {
            case NotADatabase:
            case Corrupt:
                return new HaloSyncException("StateDatabaseCorrupt", HaloSyncErrorKind.InvalidData,
                    $"The HaloSync state database '{path}' is not a valid SQLite database or is damaged ({ex.Message}). " +
                    "HaloSync will not recreate it, so no mapping or log is lost: restore the file from a backup, " +
                    "or point -StatePath (or HALOSYNC_STATE_PATH) at another file.", ex);
            case Busy:
            case Locked:
                return new HaloSyncException("StateDatabaseLocked", HaloSyncErrorKind.ResourceUnavailable,
                    $"The HaloSync state database '{path}' is locked by another process. Wait for the other " +
                    "HaloSync session or sync run to finish, then try again.", ex);
            case ReadOnly:
            case CantOpen:
                return new HaloSyncException("StateDatabaseUnavailable", HaloSyncErrorKind.ResourceUnavailable,
                    $"The HaloSync state database '{path}' cannot be opened for writing ({ex.Message}). Check the " +
                    "file's permissions, or choose another location with -StatePath or HALOSYNC_STATE_PATH.", ex);
            default:
                return new HaloSyncException("StateDatabaseError", HaloSyncErrorKind.InvalidOperation,
                    $"The HaloSync state database '{path}' reported an error: {ex.Message}", ex);
        }
    }
}
