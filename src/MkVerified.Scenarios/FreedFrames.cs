using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// Checker-only record of the frames the page table's owner freed, for the shootdown scenarios: a core that uses a
/// freed frame breaks "no core uses the frame after it was freed". Only the owner frees, and a use on any core reads
/// that, so both are shown to exploration as a change and a read of the owner's private state: partial-order reduction
/// then orders every free against every use (spec/exploration.md, "What a step touches").
/// </summary>
internal sealed class FreedFrames(Emulation emulation, int owner)
{
    private readonly Dictionary<long, int> _frees = [];

    /// <summary>The owner freed <paramref name="frame"/> (in its step); returns how often it has been freed now.</summary>
    public int Freed(long frame)
    {
        emulation.PrivateStateChanged();
        return _frees[frame] = _frees.GetValueOrDefault(frame) + 1;
    }

    public int TimesFreed(long frame) => _frees.GetValueOrDefault(frame);

    /// <summary>Core <paramref name="core"/> uses <paramref name="frame"/> (in its step).</summary>
    public void Used(int core, long frame)
    {
        emulation.CheckReadsPrivateState(owner);
        SafetyViolationException.Check(!_frees.ContainsKey(frame), $"core {core} used frame {frame} after it was freed");
    }
}
