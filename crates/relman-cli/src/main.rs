use clap::Parser;

fn main() {
    let args = relman_cli::Args::parse();
    if let Err(error) = relman_cli::run(args, &mut std::io::stdout()) {
        eprintln!("relman: {error}");
        std::process::exit(1);
    }
}
