using MkVerified.Runtime;

namespace MkVerified.Tests.Runtime;

/// <summary>A step observer that keeps every access it is shown, in order: (core, line, write).</summary>
internal sealed class StepAccessLog : IStepObserver
{
    public List<(int Core, int Line, bool Write)> Accesses { get; } = [];
    public void Ran(int core) { }
    public void Accessed(int core, int line, bool write) => Accesses.Add((core, line, write));
    public void WaitChecked(int core, int line) { }
    public void ReadWriteStamp(int core) { }
}
