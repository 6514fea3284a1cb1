using Xunit;

// One app at a time: Hangfire keeps its storage and job activator in process-wide statics that every
// app's configuration overwrites, so apps started side by side could enqueue into, or run jobs with,
// another test class's app (an import left "queued", a disposed service provider).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
