use clap::Parser;

// Notes for a large range allocate hundreds of thousands of small strings on two threads; mimalloc
// does that markedly faster than the system allocator (see docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = relman_cli::Args::parse();
    if args.command.reads_git_offline() {
        relman_core::git::no_network_in_this_process();
    }
    if let Err(error) = relman_cli::run(args, &mut std::io::stdout()) {
        eprintln!("relman: {error}");
        std::process::exit(1);
    }
}
