/** The command line: the launcher's commands, the SQL shell and result formatting. */
package dev.lathe.cli;
