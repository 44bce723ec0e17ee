CREATE TABLE public.boxes (id int PRIMARY KEY, b box, CONSTRAINT boxes_no_overlap EXCLUDE USING gist (b WITH &&));
