from calfviewer.cli import main

raise SystemExit(main())
