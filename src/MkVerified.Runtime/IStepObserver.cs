namespace MkVerified.Runtime;

/// <summary>
/// Sees what each scheduling step touches, for partial-order reduction: which cores ran, which lines they read or
/// wrote (a wait's check of its lines counts as a read), reads of the memory's global write stamp, interrupts
/// (as accesses to <see cref="InterruptLine"/> of the target core), and changes and checks of a core's private state
/// (as accesses to <see cref="PrivateStateLine"/>). Two steps that touch disjoint lines, or only
/// read the same ones, and run disjoint cores commute. Off (null) by default; the cost is one null check per access.
/// </summary>
public interface IStepObserver
{
    /// <summary>Core <paramref name="core"/> is resumed (its step begins, or it continues as the only runnable core).</summary>
    void Ran(int core);

    /// <summary>Core <paramref name="core"/> reads or writes <paramref name="line"/> (or checks it while waiting).</summary>
    void Accessed(int core, int line, bool write);

    /// <summary>Core <paramref name="core"/> checks whether <paramref name="line"/>, one it is about to wait for, was written (a read).</summary>
    void WaitChecked(int core, int line);

    /// <summary>
    /// Core <paramref name="core"/> noted the memory's write stamp. Core code uses it only as the <c>since</c> of its next
    /// wait, so it orders the core after the writes to the lines of that wait (not after every write).
    /// </summary>
    void ReadWriteStamp(int core);

    /// <summary>The pseudo-line that stands for <paramref name="core"/>'s pending interrupts (negative, never a memory line).</summary>
    static int InterruptLine(int core) => -1 - core;

    /// <summary>
    /// The pseudo-line that stands for <paramref name="core"/>'s private state that checks read from other cores (its TLB,
    /// its monitor's locks, what it reported to a checker's ledger): written when the core changes it, read when a check
    /// looks at it (negative, below the interrupt lines).
    /// </summary>
    static int PrivateStateLine(int core) => int.MinValue + core;

    /// <summary>
    /// The pseudo-line every step writes while an invariant is checked after every step (<see cref="Emulation.AfterStep"/>):
    /// the invariant reads all state, so every step depends on every other (negative, between the other pseudo-lines).
    /// </summary>
    const int InvariantLine = int.MinValue / 2;
}
