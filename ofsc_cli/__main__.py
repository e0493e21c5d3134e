from ofsc_cli.cli.main import main

main()
