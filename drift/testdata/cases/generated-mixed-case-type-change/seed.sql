INSERT INTO public."Invoice" VALUES (1, 10);
