import { mount } from "./app";

void mount().start();
