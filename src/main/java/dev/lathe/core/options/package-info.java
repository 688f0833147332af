/** Model options as data: the literals users write in OPTIONS(...), the specs model types declare, and the resolution that checks one against the other. */
package dev.lathe.core.options;
