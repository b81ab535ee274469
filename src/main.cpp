// The command line only: parse arguments, dispatch to a command, turn failures into exit codes.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "diag.hpp"
#include "scaffold.hpp"
#include "serve.hpp"
#include "site.hpp"

namespace {

int dispatch(int argc, char** argv) {
  CLI::App app{"tandem: one folder of strategy content, every edition of the strategy website"};
  app.name("tandem");
  app.require_subcommand(1);
  app.set_version_flag("--version", "tandem 0.1.0");

  tandem::build_options opts;
  opts.free_memory = false;  // the process ends when the command returns
  std::string site = ".";
  std::string out;

  auto add_site = [&](CLI::App* cmd) {
    cmd->add_option("--site", site, "The site folder (holding content/); default: this folder");
  };
  CLI::App* build = app.add_subcommand("build", "Build every edition into the output folder");
  add_site(build);
  build->add_option("--out", out, "Where to publish the site; default: <site>/public");
  build->add_flag("--strict", opts.strict, "Treat warnings as errors");
  CLI::App* check = app.add_subcommand("check", "Run every check; write nothing");
  add_site(check);
  check->add_flag("--strict", opts.strict, "Treat warnings as errors");
  check->add_flag("--report", opts.report,
                  "Also print each page's reading grade, longest sentence and warnings");
  CLI::App* figures =
      app.add_subcommand("figures", "List each figure, its value and every place it is used");
  add_site(figures);
  tandem::serve_options serve_opts;
  CLI::App* serve = app.add_subcommand("serve", "Preview the site, rebuilt on every save");
  add_site(serve);
  serve->add_option("--port", serve_opts.port, "Port to listen on (default 8080)")
      ->check(CLI::Range(1, 65535));
  CLI::Option* host_option = serve->add_option(
      "--host", serve_opts.host, "Address to listen on (default 127.0.0.1: this computer only)");
  CLI::App* scaffold = app.add_subcommand("new", "Start a new section or pledge in every edition");
  std::string new_kind, new_name;
  scaffold->add_option("kind", new_kind, "page or pledge")->required();
  scaffold->add_option("name", new_name, "A short name, e.g. \"our-promise\"");
  // A name of several words typed without quotes: tandem new page Staying close.
  scaffold->allow_extras();
  add_site(scaffold);

  // Before CLI11, which would say only "A subcommand is required": no command, "help", or a
  // command misspelt.
  const std::vector<std::string> commands = {"build", "check", "figures", "serve", "new"};
  if (argc < 2 || std::string_view(argv[1]) == "help") {
    std::cout << app.help();
    return argc < 2 ? tandem::exit_usage : tandem::exit_ok;
  }
  if (std::string_view first = argv[1];
      !first.empty() && first.front() != '-' &&
      std::find(commands.begin(), commands.end(), first) == commands.end()) {
    std::string near = tandem::nearest_name(first, commands);
    std::cerr << "tandem: error: '" << first << "' is not a command"
              << (near.empty() ? std::string() : " (did you mean '" + near + "'?)")
              << "; the commands are build, check, figures, serve and new (tandem help lists "
                 "them)\n";
    return tandem::exit_usage;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? tandem::exit_ok : tandem::exit_usage;
  }
  if (scaffold->parsed()) {
    if (new_kind != "page" && new_kind != "pledge") {
      std::cerr << "tandem: error: say what to start first: tandem new page \"" << new_kind
                << "\" for a section, or tandem new pledge \"" << new_kind << "\" for a pledge\n";
      return tandem::exit_usage;
    }
    if (new_name.empty()) {
      std::cerr << "tandem: error: give the " << (new_kind == "page" ? "section" : "pledge")
                << "'s name too: tandem new " << new_kind << " \""
                << (new_kind == "page" ? "Our promise" : "Head of libraries") << "\"\n";
      return tandem::exit_usage;
    }
    for (const std::string& word : scaffold->remaining()) {
      if (!word.empty() && word.front() == '-') {
        std::cerr << "tandem: error: new has no option " << word
                  << "; it takes page or pledge, a name, and --site\n";
        return tandem::exit_usage;
      }
      new_name += " " + word;
    }
  }

  opts.site_dir = site;
  std::error_code ec;
  if (!std::filesystem::is_directory(opts.site_dir, ec)) {
    std::cerr << "tandem: error: the site folder '" << site
              << "' does not exist; give the folder that holds content/ with --site\n";
    return tandem::exit_usage;
  }
  opts.out_dir = out.empty() ? opts.site_dir / "public" : std::filesystem::path(out);

  if (build->parsed()) return tandem::run_build(opts, std::cout, std::cerr);
  if (check->parsed()) return tandem::run_check(opts, std::cout, std::cerr);
  if (serve->parsed()) {
    serve_opts.site_dir = opts.site_dir;
    serve_opts.host_given = host_option->count() > 0;
    return tandem::run_serve(serve_opts, std::cout, std::cerr);
  }
  if (scaffold->parsed())
    return tandem::run_new(opts.site_dir, new_kind, new_name, std::cout, std::cerr);
  return tandem::run_figures(opts, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  // Over the file size limit (ulimit -f) a write should fail with a message, not kill tandem
  // halfway through a publish.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    return dispatch(argc, argv);
  } catch (const tandem::system_failure& failure) {
    std::cerr << "tandem: error: " << failure.what() << "\n";
    return tandem::exit_system;
  } catch (const std::exception& failure) {
    std::cerr << "tandem: error: " << failure.what() << "\n";
    return tandem::exit_system;
  }
}
